import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/hash/canonical-json.js';
import { resultKey } from '../../../src/engine/key-inputs.js';
import { type ActionUnit, actionKey, unitKeys } from '../../../src/engine/runner/action-unit.js';

const dep = {
  label: '//p:tex',
  rule: 'texture',
  type: 'texture' as const,
  assetId: '00000000000000aa',
  priority: 'normal' as const,
  outputs: [{ name: 'tex.ktx2', digest: { hash: '0123456789abcdef', size: 10 }, meta: { width: 4 }, parts: [{ kind: 'mip' as const, index: 0, offset: 0, size: 10, hash: 'ab'.repeat(32) }] }],
  srcs: ['pkgs/p/tex.png'],
  deps: [],
};

function unit(): ActionUnit {
  return {
    rule: { name: 'model', version: 3, module: { url: 'file:///somewhere/rules/model/index.js', factory: 'modelRule' } },
    label: '//p:m',
    pkg: 'p',
    pkgDir: 'pkgs/p',
    name: 'm',
    assetId: '00000000000000bb',
    priority: 'high',
    attrs: { lods: [1, 0.5], simplify: { error: 0.01 } },
    platform: { name: 'desktop', settings: { texture: { format: 'bc7' } } },
    srcs: [{ path: 'pkgs/p/m.gltf', digest: { hash: 'fedcba9876543210', size: 99 } }],
    deps: [dep],
    closure: [dep],
    discovered: { 'pkgs/p/m.bin': 'aaaaaaaaaaaaaaaa-5', 'pkgs/p/gone.png': 'absent' },
    tools: { gltf_transform: '@gltf-transform/core@4.5.1' },
  };
}

describe('action unit', () => {
  it('keeps its key through structuredClone and canonical JSON (what a worker or a remote executor receives)', () => {
    const original = unit();
    const viaWorker = structuredClone(original);
    const viaFile = JSON.parse(canonicalJson(original)) as ActionUnit;
    expect(actionKey(viaWorker)).toBe(actionKey(original));
    expect(actionKey(viaFile)).toBe(actionKey(original));
    expect(unitKeys(viaFile)).toEqual(unitKeys(original));
  });

  it('changes its key when anything a cook can see changes', () => {
    const base = actionKey(unit());
    const edits: [string, (u: ActionUnit) => void][] = [
      ['rule version', (u) => (u.rule.version = 4)],
      ['rule name', (u) => (u.rule.name = 'model2')],
      ['label', (u) => (u.label = '//p:m2')],
      ['package folder', (u) => (u.pkgDir = 'other/p')],
      ['asset id', (u) => (u.assetId = '00000000000000cc')],
      ['priority', (u) => (u.priority = 'low')],
      ['an attribute', (u) => (u.attrs = { lods: [1, 0.25], simplify: { error: 0.01 } })],
      ['platform name', (u) => (u.platform.name = 'mobile')],
      ['platform settings', (u) => (u.platform.settings = { texture: { format: 'astc' } })],
      ['a source digest', (u) => (u.srcs = [{ path: 'pkgs/p/m.gltf', digest: { hash: 'fedcba9876543211', size: 99 } }])],
      ['a source path', (u) => (u.srcs = [{ path: 'pkgs/p/n.gltf', digest: { hash: 'fedcba9876543210', size: 99 } }])],
      ['a dependency output digest', (u) => (u.deps = [{ ...dep, outputs: [{ ...dep.outputs[0]!, digest: { hash: '0123456789abcdee', size: 10 } }] }])],
      ['a dependency output meta', (u) => (u.deps = [{ ...dep, outputs: [{ ...dep.outputs[0]!, meta: { width: 8 } }] }])],
      ['a dependency output part layout', (u) => (u.deps = [{ ...dep, outputs: [{ ...dep.outputs[0]!, parts: [{ ...dep.outputs[0]!.parts[0]!, size: 5 }] }] }])],
      ['the closure', (u) => (u.closure = [dep, { ...dep, label: '//p:other' }])],
      ['a tool identity', (u) => (u.tools = { gltf_transform: '@gltf-transform/core@4.6.0' })],
    ];
    for (const [what, edit] of edits) {
      const changed = unit();
      edit(changed);
      expect(actionKey(changed), what).not.toBe(base);
    }
  });

  it('leaves the module location and the discovered manifest out of the first-level key', () => {
    const moved = unit();
    moved.rule.module = { url: 'file:///elsewhere/rules/model/index.js', factory: 'modelRule' };
    moved.discovered = {};
    expect(actionKey(moved)).toBe(actionKey(unit()));
    // The manifest's digests are the second level, exactly as the action cache looks them up.
    expect(unitKeys(unit()).result).toBe(resultKey(actionKey(unit()), unit().discovered));
    expect(unitKeys(moved).result).not.toBe(unitKeys(unit()).result);
  });
});
