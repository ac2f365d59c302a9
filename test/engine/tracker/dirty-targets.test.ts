import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dirtyTargets } from '../../../src/engine/tracker/build-record.js';

/** The definition, spelled out: changed inputs and everything depending on them, plus changed outs. */
function naive(deps: readonly (readonly number[])[], inputs: Set<number>, outs: Set<number>): Set<number> {
  const dirty = new Set(inputs);
  for (let grew = true; grew; ) {
    grew = false;
    deps.forEach((targetDeps, i) => {
      if (!dirty.has(i) && targetDeps.some((d) => dirty.has(d))) grew = dirty.add(i) !== undefined;
    });
  }
  for (const i of outs) dirty.add(i);
  return dirty;
}

describe('dirtyTargets', () => {
  it('is the changed targets, their dependents transitively, and the targets whose kiln-out changed', () => {
    // 0 ← 1 ← 3, 0 ← 2 ← 3 (a diamond), 4 alone, 5 ← 4.
    const deps = [[], [0], [0], [1, 2], [], [4]];
    const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
    expect(sorted(dirtyTargets(deps, { structural: false, inputs: new Set([0]), outs: new Set() }))).toEqual([0, 1, 2, 3]);
    expect(sorted(dirtyTargets(deps, { structural: false, inputs: new Set([2]), outs: new Set([4]) }))).toEqual([2, 3, 4]);
    expect(sorted(dirtyTargets(deps, { structural: false, inputs: new Set(), outs: new Set() }))).toEqual([]);
  });

  it('agrees with the definition on any graph', () => {
    const graph = fc.integer({ min: 1, max: 40 }).chain((n) =>
      fc.record({
        deps: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 6 }), { minLength: n, maxLength: n }),
        inputs: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 5 }),
        outs: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(graph, ({ deps, inputs, outs }) => {
        const got = dirtyTargets(deps, { structural: false, inputs: new Set(inputs), outs: new Set(outs) });
        expect([...got].sort((a, b) => a - b)).toEqual([...naive(deps, new Set(inputs), new Set(outs))].sort((a, b) => a - b));
      }),
    );
  });
});
