import { describe, expect, it } from 'vitest';
import { ReadyQueue } from '../../src/engine/ready-queue.js';
import { runDag } from '../../src/engine/run-dag.js';

describe('runDag with groups', () => {
  it('keeps each slot on one group while equally weighted nodes of that group are ready', async () => {
    const nodes = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
    const ranOn = new Map<string, number>();
    await runDag({
      nodes,
      depsOf: () => [],
      jobs: 2,
      keepGoing: false,
      groupOf: (node) => node[0]!,
      run: async (node, slot) => {
        ranOn.set(node, slot);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return 'ok';
      },
    });
    // Without groups, name order would hand a1 and a2 to the two slots and mix both groups on both.
    expect(new Set(['a1', 'a2', 'a3'].map((n) => ranOn.get(n))).size).toBe(1);
    expect(new Set(['b1', 'b2', 'b3'].map((n) => ranOn.get(n))).size).toBe(1);
    expect(ranOn.get('a1')).not.toBe(ranOn.get('b1'));
  });

  it('never lets a group go before a node more work waits on', async () => {
    // c is a dependency of d, e and f: it weighs more than the a's and must start first.
    const deps: Record<string, string[]> = { d: ['c'], e: ['c'], f: ['c'] };
    const order: string[] = [];
    await runDag({
      nodes: ['a1', 'a2', 'c', 'd', 'e', 'f'],
      depsOf: (node) => deps[node] ?? [],
      jobs: 1,
      keepGoing: false,
      groupOf: (node) => (node.startsWith('a') ? 'a' : 'other'),
      run: async (node) => {
        order.push(node);
        return 'ok';
      },
    });
    expect(order[0]).toBe('c');
  });
});

describe('ReadyQueue.popPreferred', () => {
  it('chooses by score only among nodes of the top weight, the earliest on a tie', () => {
    const queue = new ReadyQueue(new Map([['heavy', 3], ['x1', 1], ['x2', 1], ['y1', 1]]));
    for (const node of ['y1', 'x2', 'heavy', 'x1']) queue.push(node);
    expect(queue.popPreferred((node) => (node.startsWith('y') ? 1 : 0), 8)).toBe('heavy');
    expect(queue.popPreferred((node) => (node.startsWith('y') ? 1 : 0), 8)).toBe('y1');
    expect(queue.popPreferred(() => 0, 8)).toBe('x1');
    expect(queue.popPreferred(() => 0, 8)).toBe('x2');
    expect(queue.size).toBe(0);
  });
});
