/**
 * The tools a shader cook runs, by identity, for the action key: the wasm glslang (default) or the
 * system's glslangValidator (`compiler: native`, by executable digest) for GLSL sources, and
 * wgsl_reflect for WGSL. A WGSL shader is not re-cooked when glslang changes, nor the reverse.
 */
import { diagnosticError } from '../../src/diagnostic/diagnostic.js';
import { executableIdentity, findOnPath, npmPackageIdentity, type ToolIdentities } from '../../src/rule/tool-identity.js';
import { glslangWasmIdentity } from './glslang-wasm.js';

export const GLSLANG_FIXES: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'apt-get install glslang-tools (Debian/Ubuntu) or dnf install glslang (Fedora)',
  darwin: 'brew install glslang',
  win32: 'install the Vulkan SDK (it ships glslangValidator.exe)',
};

/** The system glslangValidator: the injected path, else the first on PATH; throws `tool-missing`. */
export function nativeGlslang(injected?: string): string {
  const exe = injected && injected.includes('/') ? injected : findOnPath(injected ?? 'glslangValidator');
  if (!exe) {
    const fix = GLSLANG_FIXES[process.platform] ?? 'install glslangValidator';
    throw diagnosticError('tool-missing', `glslangValidator is not installed (compiler: native) (fix: ${fix}; or set \`compiler: wasm\` on this platform)`, { hints: [fix, 'or set `compiler: wasm`'] });
  }
  return exe;
}

export async function shaderTools(settings: { compiler?: 'wasm' | 'native' }, sources: readonly string[], injected: { glslangValidator?: string; wgsl?: unknown }): Promise<ToolIdentities> {
  const tools: ToolIdentities = {};
  const wgsl = sources.some((s) => s.endsWith('.wgsl'));
  if (wgsl) tools['wgsl'] = injected.wgsl ? 'injected' : npmPackageIdentity('wgsl_reflect');
  if (sources.some((s) => !s.endsWith('.wgsl'))) {
    tools['glslang'] = settings.compiler === 'native' ? await executableIdentity(undefined, nativeGlslang(injected.glslangValidator)) : glslangWasmIdentity();
  }
  return tools;
}
