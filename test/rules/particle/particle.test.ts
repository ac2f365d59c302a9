import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { assetIdOf } from '../../../src/workspace/label.js';
import { PARTICLE_SCHEMA } from '../../../rules/particle/particle-schema.js';
import { particleRule } from '../../../rules/particle/index.js';
import { runRule } from '../../support/rule-harness.js';
import { dep } from '../material/dep-info.js';

const PATH = 'sample-project/common/particles/fx.particle.yaml';
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/particle/${name}`, import.meta.url));
const DEPS = [dep('//common/ui:atlas_tex', 'texture'), dep('//common/particles:smoke_mat', 'material')];

function cook(name: string, extra: object = {}, mode: 'cook' | 'validate' = 'cook') {
  return runRule(particleRule(), { label: '//common/particles:fx', files: { [PATH]: fixture(name) }, srcs: [PATH], deps: DEPS, ...extra }, mode);
}

async function cookError(promise: Promise<unknown>): Promise<RuleError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RuleError);
  return error as RuleError;
}

describe('particle rule', () => {
  it('normalizes emitters: ranges, sorted curves, defaults and asset ids', async () => {
    const result = await cook('sparks.particle.yaml');
    const system = JSON.parse(new TextDecoder().decode(result.bytes('fx.json')));
    const [sparks, smoke] = system.emitters;
    expect(sparks.lifetime).toEqual({ min: 0.5, max: 1.5 });
    expect(sparks.size).toEqual([{ t: 0, value: 0.08 }, { t: 1, value: 0 }]);
    expect(sparks.texture).toEqual({ label: '//common/ui:atlas_tex', asset_id: assetIdOf('//common/ui:atlas_tex') });
    expect(sparks.peak_particles).toBe(90 + 40);
    expect(smoke.lifetime).toEqual({ min: 3, max: 3 });
    expect(smoke.color).toEqual([{ t: 0, value: [0.3, 0.3, 0.3, 0.5] }]);
    expect(smoke.velocity).toEqual({ min: [0, 0, 0], max: [0, 0, 0] });
    expect(smoke.material.asset_id).toBe(assetIdOf('//common/particles:smoke_mat'));
    expect(smoke.max_particles).toBe(24);
    expect(result.stats).toMatchObject({ emitters: 2, peak_particles: 130 + 24 });
    expect(result.outputs[0]!.meta['references']).toHaveLength(2);
    expect(result.diagnostics).toEqual([]);
  });

  it('cooks the same bytes twice', async () => {
    const [a, b] = await Promise.all([cook('sparks.particle.yaml'), cook('sparks.particle.yaml')]);
    expect(a.bytes('fx.json')).toEqual(b.bytes('fx.json'));
  });

  it('points a schema error (unknown key) at its line', async () => {
    const error = await cookError(cook('bad-schema.particle.yaml'));
    expect(error.message).toMatch(/unknown key "colour"/);
    expect(error).toMatchObject({ file: PATH, line: 5 });
  });

  it('points a type error in JSON at its line', async () => {
    const error = await cookError(cook('bad-type.particle.json'));
    expect(error.message).toMatch(/emitters\.1\.lifetime/);
    expect(error.line).toBe(4);
  });

  it('rejects a texture reference missing from deps', async () => {
    const error = await cookError(cook('missing-dep.particle.yaml'));
    expect(error.message).toMatch(/\/\/common\/ui:nowhere is referenced but is not a dependency/);
    expect(error.line).toBe(4);
  });

  it('rejects a truncated file with a position', async () => {
    const error = await cookError(cook('truncated.particle.yaml'));
    expect(error.file).toBe(PATH);
    expect(error.line).toBeGreaterThanOrEqual(4);
  });

  it('holds systems to the platform particle budget: error above, warning near it', async () => {
    const mobile = { name: 'mobile', settings: { max_particles: 2000 } };
    const error = await cookError(cook('storm.particle.yaml', { platform: mobile }));
    expect(error.message).toMatch(/10000 particles at peak \(platform mobile budget 2000\): over budget/);
    const desktop = await cook('storm.particle.yaml', { platform: { name: 'desktop', settings: { max_particles: 12000 } } });
    expect(desktop.diagnostics.map((d) => d.message).join()).toMatch(/above 75% of the budget/);
  });

  it('limits the emitter count per platform', async () => {
    const error = await cookError(cook('sparks.particle.yaml', { platform: { name: 'web', settings: { max_emitters: 1 } } }));
    expect(error.message).toMatch(/2 emitters; platform web allows 1/);
  });

  it('warns when an emitter pool is smaller than its peak', async () => {
    const text = 'emitters:\n  - name: a\n    rate: 100\n    lifetime: 2\n    max_particles: 50\n';
    const result = await runRule(particleRule(), { files: { [PATH]: text }, srcs: [PATH] });
    expect(result.diagnostics[0]).toMatchObject({ severity: 'warning', location: { line: 5 } });
    expect(result.stats['peak_particles']).toBe(50);
  });

  it('rejects inverted ranges and duplicate emitter names', async () => {
    const inverted = 'emitters:\n  - lifetime: [2, 1]\n    rate: 1\n';
    expect((await cookError(runRule(particleRule(), { files: { [PATH]: inverted }, srcs: [PATH] }))).message).toMatch(/min > max/);
    const twins = 'emitters:\n  - { name: a, lifetime: 1, rate: 1 }\n  - { name: a, lifetime: 1, rate: 1 }\n';
    expect((await cookError(runRule(particleRule(), { files: { [PATH]: twins }, srcs: [PATH] }))).line).toBe(3);
  });

  it('validate mode checks without output; the schema is valid draft-07 JSON', async () => {
    const result = await cook('sparks.particle.yaml', {}, 'validate');
    expect(result.outputs).toEqual([]);
    expect(PARTICLE_SCHEMA.$schema).toMatch(/draft-07/);
  });
});
