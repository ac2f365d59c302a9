/**
 * What `kiln doctor` finds out about every tool kiln can use: installed or not, its version and
 * identity, whether it actually runs on this machine (a native executable is started once; a wasm
 * module is instantiated), and which platforms of the workspace need it. Probing is the only way
 * to know: an executable can be present and still miss a system library.
 */
import { execFile } from 'node:child_process';
import { SHADER_SETTINGS } from '../../rules/shader/options.js';
import { basisModule, BASIS_WASM_PACKAGE } from '../../rules/texture/basis-module.js';
import { TEXTURE_SETTINGS } from '../../rules/texture/options.js';
import { loadWgslReflect } from '../../rules/shader/check-wgsl.js';
import { compileGlslWasm, GLSLANG_WASM_PACKAGE } from '../../rules/shader/glslang-wasm.js';
import { GLSLANG_FIXES } from '../../rules/shader/shader-tools.js';
import { hostSimdLevel } from '../../rules/texture/cpu-simd.js';
import { NATIVE_TOOLS, type NativeTool } from '../../rules/texture/native-tools.js';
import { toolExecutable } from '../../rules/texture/run-tool.js';
import { toolLoadFailure } from '../../rules/texture/tool-failure.js';
import { DiagnosticError } from '../diagnostic/diagnostic.js';
import { findOnPath, npmPackageIdentity } from '../rule/tool-identity.js';
import { platformSettingsFor, type WorkspaceConfig } from '../workspace/workspace-config.js';

export interface ToolProbe {
  name: string;
  kind: 'wasm' | 'native';
  /** npm name@version, or the system executable's own version line. */
  version?: string;
  path?: string;
  found: boolean;
  runs: boolean;
  /** Why it does not run, or what it is. */
  detail: string;
  /** What it makes, for people: "texture bc7/bc5/bc4". */
  purpose: string;
  /** `platform (rule)` entries of the workspace that use this tool with their current settings. */
  neededBy: string[];
  fix?: string;
}

type Usage = (config: WorkspaceConfig, platform: string) => boolean;

// The settings a cook would see: the rule's schema defaults under the workspace's own values, so
// doctor and the engine cannot disagree about which tool an unset setting means.
const textureFormat = (config: WorkspaceConfig, platform: string) => {
  const { format, encoder } = TEXTURE_SETTINGS.withDefaults(platformSettingsFor(config, platform, 'texture'));
  return { format: String(format), encoder: String(encoder) };
};
const shaderCompiler = (config: WorkspaceConfig, platform: string) => String(SHADER_SETTINGS.withDefaults(platformSettingsFor(config, platform, 'shader')).compiler);

function neededBy(config: WorkspaceConfig | undefined, uses: Usage): string[] {
  if (!config) return [];
  return Object.keys(config.platforms).filter((p) => uses(config, p));
}

function run(exe: string, args: string[]): Promise<{ code: number | string | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(exe, args, { timeout: 10_000, windowsHide: true, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      done({ code: error ? (error.code ?? error.signal ?? -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function probeNative(tool: NativeTool, config: WorkspaceConfig | undefined): Promise<ToolProbe> {
  const base = {
    name: tool.name,
    kind: 'native' as const,
    purpose: `texture ${tool.formats.join('/')} with encoder: native`,
    neededBy: neededBy(config, (c, p) => {
      const t = textureFormat(c, p);
      return t.encoder === 'native' && tool.formats.includes(t.format);
    }),
    fix: tool.fixes[process.platform],
  };
  let exe: string;
  try {
    exe = toolExecutable(tool);
  } catch (error) {
    const message = error instanceof DiagnosticError ? error.diagnostics[0]!.message : String(error);
    return { ...base, found: false, runs: false, detail: message };
  }
  const version = npmPackageIdentity(tool.pkg);
  const result = await run(exe, []);
  const load = toolLoadFailure(typeof result.code === 'number' ? result.code : null, result.stderr);
  if (load) return { ...base, version, path: exe, found: true, runs: false, detail: `cannot start: ${load.missing} is missing` };
  if (result.code === 'ENOENT' || result.code === 'EACCES' || result.code === 'SIGILL') {
    return { ...base, version, path: exe, found: true, runs: false, detail: `cannot start (${result.code})` };
  }
  return { ...base, version, path: exe, found: true, runs: true, detail: tool.name === 'astcenc' ? `${hostSimdLevel()} build` : 'starts' };
}

async function probeGlslangValidator(config: WorkspaceConfig | undefined): Promise<ToolProbe> {
  const base = {
    name: 'glslangValidator',
    kind: 'native' as const,
    purpose: 'shader GLSL → SPIR-V with compiler: native',
    neededBy: neededBy(config, (c, p) => shaderCompiler(c, p) === 'native'),
    fix: GLSLANG_FIXES[process.platform],
  };
  const exe = findOnPath('glslangValidator');
  if (!exe) return { ...base, found: false, runs: false, detail: 'not on PATH' };
  const result = await run(exe, ['--version']);
  const load = toolLoadFailure(typeof result.code === 'number' ? result.code : null, result.stderr);
  if (load || result.code !== 0) return { ...base, path: exe, found: true, runs: false, detail: load ? `cannot start: ${load.missing} is missing` : `--version failed (${result.code})` };
  return { ...base, version: result.stdout.split('\n')[0]!.replace(/^Glslang Version:\s*/, '').trim(), path: exe, found: true, runs: true, detail: 'starts' };
}

async function probeWasm(name: string, pkg: string, purpose: string, uses: Usage, config: WorkspaceConfig | undefined, start: () => Promise<unknown>): Promise<ToolProbe> {
  const base = { name, kind: 'wasm' as const, purpose, neededBy: neededBy(config, uses), fix: 'npm ci (it is a dependency of kiln)' };
  let version: string;
  try {
    version = npmPackageIdentity(pkg);
  } catch {
    return { ...base, found: false, runs: false, detail: `npm package ${pkg} is not installed` };
  }
  try {
    await start();
    return { ...base, version, found: true, runs: true, detail: 'loads and runs' };
  } catch (error) {
    return { ...base, version, found: true, runs: false, detail: `does not load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Every tool kiln knows, probed on this machine; `config` (when in a workspace) fills in `neededBy`. */
export async function probeTools(config: WorkspaceConfig | undefined): Promise<ToolProbe[]> {
  const wasmTexture = (formats: string[]): Usage => (c, p) => {
    const t = textureFormat(c, p);
    return t.encoder !== 'native' && formats.includes(t.format);
  };
  const probes: ToolProbe[] = [
    await probeWasm('Basis Universal 2.x (wasm)', BASIS_WASM_PACKAGE, 'texture bc7/bc5/bc4, astc, basis (default encoder: wasm)', wasmTexture(['bc7', 'astc', 'basis']), config, () => basisModule()),
    await probeWasm('glslang (wasm)', GLSLANG_WASM_PACKAGE, 'shader GLSL → SPIR-V (default compiler: wasm)', (c, p) => shaderCompiler(c, p) !== 'native', config, async () => {
      const r = await compileGlslWasm('#version 450\nvoid main() {}\n', 'compute', '1.0');
      if (!r.spirv) throw new Error(r.log);
    }),
    await probeWasm('wgsl_reflect', 'wgsl_reflect', 'shader WGSL parsing and reflection', () => true, config, async () => (await loadWgslReflect())('@compute @workgroup_size(1) fn main() {}')),
    await probeWasm('sharp (libvips)', 'sharp', 'image decode, resize, PNG/WebP for texture, ui, model', () => true, config, () => import('sharp')),
  ];
  for (const tool of NATIVE_TOOLS) probes.push(await probeNative(tool, config));
  probes.push(await probeGlslangValidator(config));
  return probes;
}
