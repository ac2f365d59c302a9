import { describe, expect, it } from 'vitest';
import { runDag } from '../../src/engine/run-dag.js';

describe('runDag', () => {
  it('lets the event loop turn during a long run of cooks that never wait for I/O', async () => {
    const nodes = Array.from({ length: 2000 }, (_, i) => `n${i}`);
    let finished = 0;
    const seenByImmediate: number[] = [];
    const tick = (): void => {
      seenByImmediate.push(finished);
      if (finished < nodes.length) setImmediate(tick);
    };
    setImmediate(tick);
    const outcome = await runDag({
      nodes,
      depsOf: (node) => (node === 'n0' ? [] : [`n${Number(node.slice(1)) - 1}`]),
      run: async () => {
        finished++;
        return 'ok';
      },
      jobs: 2,
      keepGoing: false,
    });
    expect([...outcome.values()].every((o) => o === 'ok')).toBe(true);
    expect(outcome.size).toBe(nodes.length);
    // The loop turned while work was left, more than once: macrotasks saw the run in progress.
    const midRun = seenByImmediate.filter((n) => n > 0 && n < nodes.length);
    expect(midRun.length).toBeGreaterThan(2);
  });
});
