import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shaderRule, type ShaderReflection } from '../../../rules/shader/index.js';
import { DiagnosticError } from '../../../src/diagnostic/diagnostic.js';
import { RuleError } from '../../../src/rule/rule-error.js';
import { runRule } from '../../support/rule-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../fixtures/shader');
const PKG = 'game/shaders';

function hasGlslang(): boolean {
  try {
    execFileSync('glslangValidator', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const glslang = hasGlslang();
// GLSL compiles with the wasm glslang everywhere; only the comparisons with the native compiler need
// glslangValidator. CI installs glslang-tools; there a missing compiler must fail the run, not skip it.
const skipNative = !glslang && process.env.CI !== 'true';
if (skipNative) console.log('skipping wasm-vs-glslangValidator comparisons: glslangValidator not found (apt-get install glslang-tools)');

/** Every fixture as workspace-relative path → bytes, under the package folder. */
function files(extra: Record<string, string> = {}): Record<string, Uint8Array | string> {
  const out: Record<string, Uint8Array | string> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else out[`${PKG}/${rel}${name}`] = new Uint8Array(readFileSync(full));
    }
  };
  walk(fixtures, '');
  return { ...out, ...extra };
}

function cook(src: string, attrs: Record<string, unknown> = {}, settings: Record<string, unknown> = {}, extra: Record<string, string> = {}) {
  return runRule(shaderRule(), {
    label: `//${PKG}:${src.split('.')[0]}`,
    attrs,
    platform: { name: 'desktop', settings },
    files: files(extra),
    srcs: [`${PKG}/${src}`],
  });
}

async function failure(promise: Promise<unknown>): Promise<RuleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleError);
  return error as RuleError;
}

const SPIRV_MAGIC = 0x07230203;
const magic = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);

describe('shader rule: GLSL', () => {
  it('resolves nested includes through readFile and records them as discovered inputs', async () => {
    const result = await cook('lit.frag');
    expect([...result.discovered.keys()].sort()).toEqual([`${PKG}/lib/lighting.glsl`, `${PKG}/lib/math.glsl`]);
    expect([...result.discovered.values()].every(Boolean)).toBe(true);
    expect(result.outputs[0]!.meta.includes).toEqual([`${PKG}/lib/lighting.glsl`, `${PKG}/lib/math.glsl`]);
    expect(magic(result.bytes('lit.spv'))).toBe(SPIRV_MAGIC);
    expect(result.stats.includes).toBe(2);
  });

  it('discovers only the files a shader includes, so editing one re-cooks only its includers', async () => {
    const lit = await cook('lit.frag');
    const skinned = await cook('skinned.vert');
    const blur = await cook('blur.comp');
    expect(lit.discovered.has(`${PKG}/lib/math.glsl`)).toBe(true);
    expect([...skinned.discovered.keys()]).toEqual([]);
    expect([...blur.discovered.keys()]).toEqual([]);
  });

  it('records a missing include as an absent discovered input and names the including line', async () => {
    const error = await failure(cook('main.frag', {}, {}, { [`${PKG}/main.frag`]: '#version 450\nlayout(location=0) out vec4 c;\n#include "lib/later.glsl"\nvoid main(){ c = vec4(1.0); }\n' }));
    expect(error.message).toMatch(/cannot include "lib\/later.glsl": not found/);
    expect(error).toMatchObject({ file: `${PKG}/main.frag`, line: 3 });
  });

  it('searches include_dirs (package-relative) after the including folder', async () => {
    const result = await cook('x.frag', { include_dirs: ['lib'] }, {}, { [`${PKG}/x.frag`]: '#version 450\n#include "math.glsl"\nlayout(location=0) out vec4 c;\nvoid main(){ c = vec4(saturate(PI)); }\n' });
    expect(result.discovered.get(`${PKG}/math.glsl`)).toBe(false);
    expect(result.discovered.get(`${PKG}/lib/math.glsl`)).toBe(true);
  });

  it('maps a compiler error inside an included file back to that file and line', async () => {
    const error = await failure(cook('broken.frag'));
    expect(error).toMatchObject({ file: `${PKG}/lib/broken.glsl`, line: 4 });
    expect(error.message).toMatch(/undefinedThing.*undeclared identifier/);
  });

  it('maps an error in the root file past the injected defines', async () => {
    const source = '#version 450\nlayout(location=0) out vec4 c;\nvoid main() {\n  c = vec4(1.0)\n}\n';
    const error = await failure(cook('bad.frag', { defines: { A: 1, B: 2 } }, {}, { [`${PKG}/bad.frag`]: source }));
    expect(error).toMatchObject({ file: `${PKG}/bad.frag`, line: 5 });
  });

  it('reports an include cycle with the chain', async () => {
    const error = await failure(cook('a.frag', {}, {}, { [`${PKG}/a.frag`]: '#version 450\n#include "b.glsl"\n', [`${PKG}/b.glsl`]: '#include "a.frag"\n' }));
    expect(error.message).toContain(`include cycle: ${PKG}/a.frag → ${PKG}/b.glsl → ${PKG}/a.frag`);
  });

  it('compiles one SPIR-V output per declared variant, each with its own defines', async () => {
    const result = await cook('skinned.vert', { variants: { base: {}, skinned: { SKINNED: '1', MAX_JOINTS: 64 } } });
    expect(result.outputs.map((o) => o.name)).toEqual(['skinned.base.spv', 'skinned.skinned.spv']);
    const [base, skinned] = result.outputs;
    expect(base!.meta).toMatchObject({ variant: 'base', defines: {}, stage: 'vertex', format: 'spirv' });
    expect(skinned!.meta).toMatchObject({ variant: 'skinned', defines: { SKINNED: '1', MAX_JOINTS: '64' } });
    expect(base!.digest).not.toEqual(skinned!.digest);
    const blocks = (r: unknown) => (r as ShaderReflection).blocks.map((b) => b.name).sort();
    expect(blocks(base!.meta.reflection)).toEqual(['Camera']);
    expect(blocks(skinned!.meta.reflection)).toEqual(['Camera', 'Skin']);
    expect(result.stats.variants).toBe(2);
  });

  it('fails a variant whose defines break compilation, naming the source line', async () => {
    const error = await failure(cook('skinned.vert', { variants: { skinned: { SKINNED: '1' } } }));
    expect(error.message).toMatch(/^variant "skinned": 'MAX_JOINTS'/);
    expect(error).toMatchObject({ file: `${PKG}/skinned.vert`, line: 8 });
  });

  it('records reflection: block members with types, textures with bindings, inputs', async () => {
    const result = await cook('lit.frag', { defines: { USE_NORMAL_MAP: true } });
    const reflection = result.outputs[0]!.meta.reflection as unknown as ShaderReflection;
    expect(reflection.language).toBe('glsl');
    expect(reflection.uniforms).toEqual([
      { name: 'baseColor', type: 'vec4', block: 'Material', offset: 0 },
      { name: 'roughness', type: 'float', block: 'Material', offset: 16 },
      { name: 'metallic', type: 'float', block: 'Material', offset: 20 },
    ]);
    expect(reflection.textures).toEqual([
      { name: 'albedoMap', binding: 1, type: 'sampler2D' },
      { name: 'normalMap', binding: 2, type: 'sampler2D' },
    ]);
    expect(reflection.blocks).toEqual([{ name: 'Material', kind: 'uniform', binding: 0, size: 24 }]);
    expect(reflection.inputs.map((i) => i.name).sort()).toEqual(['vNormal', 'vUv']);
  });

  it('reflects storage images of a compute shader', async () => {
    const result = await cook('blur.comp');
    const reflection = result.outputs[0]!.meta.reflection as unknown as ShaderReflection;
    expect(reflection.entryPoints).toEqual([{ name: 'main', stage: 'compute' }]);
    expect(reflection.textures.map((t) => [t.name, t.binding, t.type])).toEqual([
      ['source', 0, 'image2D'],
      ['target', 1, 'image2D'],
    ]);
  });

  it('emits validated, flattened GLSL source with a line map when the platform asks for glsl', async () => {
    const result = await cook('lit.frag', {}, { glsl_output: 'glsl', defines: { MOBILE: 1 } });
    const text = new TextDecoder().decode(result.bytes('lit.frag.glsl'));
    expect(text).toMatch(/^#version 450\n#define MOBILE 1\n/);
    expect(text).not.toMatch(/#include|GL_GOOGLE_include_directive/);
    expect(text).toContain('float lambert(vec3 n, vec3 l)');
    const lineMap = result.outputs[0]!.meta.lineMap as { files: string[]; runs: number[][] };
    expect(lineMap.files).toEqual([`${PKG}/lit.frag`, `${PKG}/lib/lighting.glsl`, `${PKG}/lib/math.glsl`]);
    const lambertLine = text.split('\n').findIndex((l) => l.startsWith('float lambert')) + 1;
    const run = lineMap.runs.filter((r) => r[0]! <= lambertLine).at(-1)!;
    expect([lineMap.files[run[1]!], run[2]! + lambertLine - run[0]!]).toEqual([`${PKG}/lib/lighting.glsl`, 9]);
  });

  it('is deterministic: same inputs, same SPIR-V bytes', async () => {
    const a = await cook('lit.frag');
    const b = await cook('lit.frag');
    expect(a.outputs[0]!.digest).toEqual(b.outputs[0]!.digest);
  });

  it('enforces the platform variant limit', async () => {
    const error = await failure(cook('skinned.vert', { variants: { a: {}, b: {} } }, { max_variants: 1 }));
    expect(error.message).toMatch(/2 variants declared; platform desktop allows at most 1/);
  });

  it('validate mode compiles without producing outputs', async () => {
    const result = await runRule(shaderRule(), { label: `//${PKG}:lit`, files: files(), srcs: [`${PKG}/lit.frag`] }, 'validate');
    expect(result.outputs).toEqual([]);
    await expect(runRule(shaderRule(), { label: `//${PKG}:broken`, files: files(), srcs: [`${PKG}/broken.frag`] }, 'validate')).rejects.toBeInstanceOf(RuleError);
  });

  it('says how to install glslangValidator when compiler: native is set and it is missing', async () => {
    const rule = shaderRule({ glslangValidator: 'glslangValidator-does-not-exist' });
    const ctx = { label: `//${PKG}:lit`, files: files(), srcs: [`${PKG}/lit.frag`], platform: { name: 'desktop', settings: { compiler: 'native' } } };
    const error = await runRule(rule, ctx).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DiagnosticError);
    const diagnostic = (error as DiagnosticError).diagnostics[0]!;
    expect(diagnostic.code).toBe('tool-missing');
    expect(diagnostic.message).toMatch(/glslangValidator/);
    if (process.platform === 'linux') expect(diagnostic.hints![0]).toMatch(/apt-get install glslang-tools/);
    await expect(rule.tools!({}, { compiler: 'native' }, [`${PKG}/lit.frag`])).rejects.toBeInstanceOf(DiagnosticError);
  });

  it('names its compiler in the key: the wasm glslang for GLSL, wgsl_reflect for WGSL, never both', async () => {
    const rule = shaderRule();
    const glsl = await rule.tools!({}, {}, [`${PKG}/lit.frag`]);
    expect(glsl).toEqual({ glslang: expect.stringMatching(/^@webgpu\/glslang@0\.0\.15$/) });
    expect(await rule.tools!({}, {}, [`${PKG}/lit.wgsl`])).toEqual({ wgsl: expect.stringMatching(/^wgsl_reflect@/) });
  });
});

describe.skipIf(skipNative)('shader rule: wasm glslang against glslangValidator', () => {
  const native = { compiler: 'native' };
  const words = (bytes: Uint8Array) => new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

  for (const [src, attrs, settings] of [
    ['lit.frag', { defines: { USE_NORMAL_MAP: true } }, {}],
    ['skinned.vert', { variants: { skinned: { SKINNED: '1', MAX_JOINTS: '64' } } }, {}],
    ['blur.comp', {}, {}],
    ['lit.frag', {}, { target_env: 'vulkan1.1' }],
  ] as const) {
    it(`gives the same SPIR-V (apart from the generator word) and the same reflection for ${src} ${JSON.stringify(settings)}`, async () => {
      const wasm = await cook(src, attrs, settings);
      const system = await cook(src, attrs, { ...settings, ...native });
      expect(wasm.outputs.map((o) => o.name)).toEqual(system.outputs.map((o) => o.name));
      for (const [i, out] of wasm.outputs.entries()) {
        const a = words(wasm.bytes(out.name));
        const b = words(system.bytes(system.outputs[i]!.name));
        expect(a.length).toBe(b.length);
        // Word 2 is the generator (tool id + version): the only place the two builds differ.
        expect([...a.slice(0, 2), ...a.slice(3)]).toEqual([...b.slice(0, 2), ...b.slice(3)]);
        // The SPIR-V reader adds input locations and lists block members by binding; glslang's dump
        // has no locations and lists members in its traversal order. Everything else is the same.
        const same = (r: unknown) => {
          const { inputs, uniforms, ...rest } = r as ShaderReflection;
          const byName = (a: { name: string; block?: string }, b: { name: string; block?: string }) => `${a.block}.${a.name}`.localeCompare(`${b.block}.${b.name}`);
          return { ...rest, inputs: inputs.map(({ name, type }) => ({ name, type })).sort(byName), uniforms: [...uniforms].sort(byName) };
        };
        expect(same(out.meta.reflection)).toEqual(same(system.outputs[i]!.meta.reflection));
      }
    });
  }

  it('passes spirv-val', async () => {
    const result = await cook('lit.frag', { defines: { USE_NORMAL_MAP: true } });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-spv-'));
    try {
      const file = join(dir, 'lit.spv');
      writeFileSync(file, result.bytes(result.outputs[0]!.name));
      execFileSync('spirv-val', [file], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shader rule: WGSL', () => {
  it('imports each file once, records discovered inputs and reflects bindings', async () => {
    const result = await cook('lit.wgsl', { defines: { SCALE: '1.0' } });
    expect([...result.discovered]).toEqual([[`${PKG}/lib/pbr.wgsl`, true]]);
    const text = new TextDecoder().decode(result.bytes('lit.wgsl'));
    expect(text.match(/struct Material/g)).toHaveLength(1);
    expect(text).toContain('position * 1.0');
    const reflection = result.outputs[0]!.meta.reflection as unknown as ShaderReflection;
    expect(reflection.entryPoints).toEqual([
      { name: 'vs_main', stage: 'vertex' },
      { name: 'fs_main', stage: 'fragment' },
    ]);
    expect(reflection.uniforms).toEqual([
      { name: 'base_color', type: 'vec4f', block: 'material', offset: 0 },
      { name: 'roughness', type: 'f32', block: 'material', offset: 16 },
      { name: 'metallic', type: 'f32', block: 'material', offset: 20 },
    ]);
    expect(reflection.textures).toEqual([{ name: 'albedo_map', binding: 1, group: 0, type: 'texture_2d<f32>' }]);
    expect(reflection.samplers).toEqual([{ name: 'albedo_sampler', binding: 2, group: 0 }]);
    expect(reflection.inputs.filter((i) => i.location !== undefined).map((i) => i.name)).toContain('position');
  });

  it('builds one output per variant with #ifdef blocks switched by its defines', async () => {
    const result = await cook('lit.wgsl', { defines: { SCALE: '1.0' }, variants: { plain: {}, glow: { USE_EMISSIVE: true, SCALE: '2.0' } } });
    expect(result.outputs.map((o) => o.name)).toEqual(['lit.plain.wgsl', 'lit.glow.wgsl']);
    const glow = new TextDecoder().decode(result.bytes('lit.glow.wgsl'));
    expect(glow).toContain('emissive_map');
    expect(glow).toContain('position * 2.0');
    expect(new TextDecoder().decode(result.bytes('lit.plain.wgsl'))).not.toContain('emissive_map');
    const textures = (result.outputs[1]!.meta.reflection as unknown as ShaderReflection).textures.map((t) => t.name);
    expect(textures).toEqual(['albedo_map', 'emissive_map']);
  });

  it('maps a WGSL syntax error to the file and line', async () => {
    const error = await failure(cook('broken.wgsl'));
    expect(error.message).toMatch(/WGSL syntax error: Expected ';'/);
    expect(error).toMatchObject({ file: `${PKG}/broken.wgsl`, line: 6 });
  });

  it('rejects an undefined #{NAME} substitution at its line', async () => {
    const error = await failure(cook('lit.wgsl'));
    expect(error.message).toMatch(/#\{SCALE\} is not defined/);
    expect(error).toMatchObject({ file: `${PKG}/lit.wgsl`, line: 19 });
  });

  it('rejects two resources on one binding, naming the second declaration', async () => {
    const source = '#import "lib/pbr.wgsl"\n@group(0) @binding(0) var tex: texture_2d<f32>;\n@fragment fn fs() -> @location(0) vec4<f32> { return material.base_color; }\n';
    const error = await failure(cook('dup.wgsl', {}, {}, { [`${PKG}/dup.wgsl`]: source }));
    expect(error.message).toMatch(/tex and material are both bound to @group\(0\) @binding\(0\)|material and tex are both bound/);
    expect(error.file).toBe(`${PKG}/dup.wgsl`);
  });

  it('rejects a module without entry points', async () => {
    const error = await failure(cook('lib/pbr.wgsl'));
    expect(error.message).toMatch(/no entry point/);
  });

  it('rejects an unterminated #ifdef at its opening line', async () => {
    const source = '@fragment fn fs() -> @location(0) vec4<f32> {\n#ifdef X\n  return vec4<f32>(1.0);\n}\n';
    const error = await failure(cook('open.wgsl', {}, {}, { [`${PKG}/open.wgsl`]: source }));
    expect(error).toMatchObject({ file: `${PKG}/open.wgsl`, line: 2 });
  });
});
