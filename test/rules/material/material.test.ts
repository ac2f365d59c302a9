import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { assetIdOf } from '../../../src/workspace/label.js';
import { materialRule } from '../../../rules/material/index.js';
import { runRule } from '../../support/rule-harness.js';
import { dep, litShader } from './dep-info.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/material/${name}`, import.meta.url));
const PATH = 'sample-project/levels/forest/bark.material.yaml';

function cook(name: string, deps = [litShader(), dep('//levels/forest:bark', 'texture'), dep('//levels/forest:bark_n', 'texture')], extra: object = {}) {
  return runRule(materialRule(), {
    label: '//levels/forest:bark_mat',
    files: { [PATH]: fixture(name) },
    srcs: [PATH],
    deps,
    ...extra,
  });
}

async function cookError(promise: Promise<unknown>): Promise<RuleError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RuleError);
  return error as RuleError;
}

describe('material rule', () => {
  it('resolves shader variant and textures to asset ids in canonical JSON', async () => {
    const result = await cook('bark.material.yaml');
    const json = JSON.parse(new TextDecoder().decode(result.bytes('bark_mat.json')));
    expect(json.shader).toEqual({ label: '//common/shaders:lit', asset_id: assetIdOf('//common/shaders:lit'), variant: 'skinned' });
    expect(Object.keys(json.textures)).toEqual(['albedo', 'normal']);
    expect(json.textures.normal).toEqual({ label: '//levels/forest:bark_n', asset_id: assetIdOf('//levels/forest:bark_n'), binding: 1 });
    expect(json.params.tint).toEqual([0.9, 0.8, 0.7, 1]);
    expect(result.outputs[0]!.meta['shader']).toBe(assetIdOf('//common/shaders:lit'));
    expect(result.stats).toMatchObject({ textures: 2, params: 3 });
    expect(result.diagnostics).toEqual([]);
  });

  it('gives the same bytes whatever the key order of the source', async () => {
    const a = await cook('bark.material.yaml');
    const reordered = 'params: { layers: 2, roughness: 0.8, tint: [0.9, 0.8, 0.7, 1] }\ndouble_sided: false\n' +
      'textures: { albedo: //levels/forest:bark, normal: //levels/forest:bark_n }\nvariant: skinned\nshader: //common/shaders:lit\n';
    const b = await runRule(materialRule(), {
      label: '//levels/forest:bark_mat', files: { [PATH]: reordered }, srcs: [PATH],
      deps: [litShader(), dep('//levels/forest:bark', 'texture'), dep('//levels/forest:bark_n', 'texture')],
    });
    expect(b.bytes('bark_mat.json')).toEqual(a.bytes('bark_mat.json'));
  });

  it('reads JSON materials and resolves package-relative labels', async () => {
    const result = await cook('glass.material.json', [litShader(), dep('//levels/forest:glass_tex', 'texture')]);
    const json = JSON.parse(new TextDecoder().decode(result.bytes('bark_mat.json')));
    expect(json.textures.albedo.asset_id).toBe(assetIdOf('//levels/forest:glass_tex'));
    expect(json.blend).toBe('alpha');
    // The shader samples `normal` too; an unbound slot is only a warning.
    expect(result.diagnostics.map((d) => d.message).join()).toMatch(/samples "normal"/);
  });

  it('names the file and line of a texture reference that is not a dependency', async () => {
    const error = await cookError(cook('missing-dep.material.yaml'));
    expect(error.message).toMatch(/\/\/levels\/forest:moss_n is referenced but is not a dependency/);
    expect(error).toMatchObject({ file: PATH, line: 4, column: 11 });
  });

  it('rejects a vector param whose size does not match the uniform', async () => {
    const error = await cookError(cook('bad-param.material.yaml'));
    expect(error.message).toMatch(/"tint" has 3 value\(s\) but vec4 needs 4/);
    expect(error.line).toBe(4);
  });

  it('suggests the nearest uniform for a misspelt param, or only warns when told to', async () => {
    const error = await cookError(cook('typo.material.yaml'));
    expect(error.message).toMatch(/did you mean "roughness"/);
    const lenient = await cook('typo.material.yaml', undefined, { attrs: { unknown_params: 'warning' } });
    expect(lenient.diagnostics.some((d) => d.severity === 'warning' && d.location?.line === 3)).toBe(true);
  });

  it('reports a YAML syntax error with its position', async () => {
    const error = await cookError(cook('broken.material.yaml'));
    expect(error.file).toBe(PATH);
    expect(error.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects an unknown shader variant and lists the known ones', async () => {
    const text = 'shader: //common/shaders:lit\nvariant: instanced\n';
    const error = await cookError(runRule(materialRule(), { label: '//levels/forest:m', files: { [PATH]: text }, srcs: [PATH], deps: [litShader()] }));
    expect(error.message).toMatch(/no variant "instanced" \(it has: default, skinned\)/);
    expect(error.line).toBe(2);
  });

  it('rejects a shader reference that points at a texture', async () => {
    const text = 'shader: //levels/forest:bark\n';
    const error = await cookError(runRule(materialRule(), { label: '//levels/forest:m', files: { [PATH]: text }, srcs: [PATH], deps: [dep('//levels/forest:bark', 'texture')] }));
    expect(error.message).toMatch(/is a texture .* expected shader/);
  });

  it('warns and skips checks when the shader has no reflection, errors when reflection is required', async () => {
    const bare = dep('//common/shaders:lit', 'shader', [{ name: 'lit.spv' }]);
    const text = 'shader: //common/shaders:lit\nparams: { anything: 1 }\n';
    const input = { label: '//levels/forest:m', files: { [PATH]: text }, srcs: [PATH], deps: [bare] };
    const result = await runRule(materialRule(), input);
    expect(result.diagnostics[0]!.message).toMatch(/no reflection/);
    await cookError(runRule(materialRule(), { ...input, attrs: { require_reflection: true } }));
  });

  it('enforces the platform texture budget', async () => {
    const error = await cookError(cook('bark.material.yaml', undefined, { platform: { name: 'mobile', settings: { max_textures: 1 } } }));
    expect(error.message).toMatch(/binds 2 textures; platform mobile allows 1/);
  });

  it('validates without producing outputs', async () => {
    const result = await runRule(materialRule(), {
      label: '//levels/forest:bark_mat', files: { [PATH]: fixture('bark.material.yaml') }, srcs: [PATH],
      deps: [litShader(), dep('//levels/forest:bark', 'texture'), dep('//levels/forest:bark_n', 'texture')],
    }, 'validate');
    expect(result.outputs).toEqual([]);
    await cookError(runRule(materialRule(), { label: '//levels/forest:m', files: { [PATH]: fixture('typo.material.yaml') }, srcs: [PATH], deps: [litShader()] }, 'validate'));
  });
});
