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

  it('picks what a sorted list would, under random pushes, pops and preferences', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const names = Array.from({ length: 400 }, (_, i) => `n${String(random(1000)).padStart(4, '0')}-${i}`);
    const weight = new Map(names.map((name) => [name, random(4)]));
    // A node the queue's weights do not name weighs 0.
    weight.set(names[0]!, 0);
    const queue = new ReadyQueue(new Map([...weight].slice(1)));
    // The reference: every ready node in (weight desc, name asc) order.
    const ready: string[] = [];
    const order = (a: string, b: string) => (weight.get(b)! - weight.get(a)!) || (a < b ? -1 : 1);
    const unpushed = [...names];
    const group = (node: string) => Number(node.slice(1, 5)) % 3;
    while (unpushed.length > 0 || ready.length > 0) {
      if (unpushed.length > 0 && (ready.length === 0 || random(3) > 0)) {
        const node = unpushed.splice(random(unpushed.length), 1)[0]!;
        queue.push(node);
        ready.push(node);
        continue;
      }
      ready.sort(order);
      const limit = 1 + random(6);
      const wanted = random(3);
      const score = (node: string) => (group(node) === wanted ? 1 : 0);
      const tied = ready.filter((node) => weight.get(node) === weight.get(ready[0]!)).slice(0, limit);
      const expected = tied.find((node) => score(node) === 1) ?? tied[0]!;
      const plain = random(4) === 0;
      const got = plain ? queue.pop() : queue.popPreferred(score, limit);
      expect(got).toBe(plain ? ready[0] : expected);
      ready.splice(ready.indexOf(got!), 1);
      expect(queue.size).toBe(ready.length);
    }
  });
});

describe('runDag', () => {
  it('lets the event loop turn during a long run of cooks that never wait for I/O', async () => {
    const nodes = Array.from({ length: 6000 }, (_, i) => `n${i}`);
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
