import { describe, expect, it } from 'vitest';
import { ReadScheduler } from '../../src/runtime/read-scheduler.js';
import { settle } from './support/fake-clock.js';

function urgency(rank: number, deadline = Infinity) {
  return { rank: () => rank, deadline: () => deadline };
}

describe('read scheduler', () => {
  it('serves critical before on_demand, then earliest deadline, then arrival order', async () => {
    const scheduler = new ReadScheduler(1);
    const order: string[] = [];
    let release!: () => void;
    const blocker = scheduler.run(urgency(0), () => new Promise<void>((r) => (release = r)));
    const tasks = [
      ['low', 3, Infinity],
      ['normal-late', 2, 500],
      ['critical', 0, Infinity],
      ['normal-early', 2, 100],
      ['normal-none-a', 2, Infinity],
      ['normal-none-b', 2, Infinity],
      ['on_demand', 4, 1],
    ] as const;
    const done = tasks.map(([name, rank, deadline]) => scheduler.run(urgency(rank, deadline), async () => void order.push(name)));
    expect(scheduler.pending).toBe(tasks.length);
    release();
    await blocker;
    await Promise.all(done);
    expect(order).toEqual(['critical', 'normal-early', 'normal-late', 'normal-none-a', 'normal-none-b', 'low', 'on_demand']);
  });

  it('never runs more than the cap at once', async () => {
    const scheduler = new ReadScheduler(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        scheduler.run(urgency(2), async () => {
          peak = Math.max(peak, ++running);
          await settle();
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('drops a queued request when its signal aborts', async () => {
    const scheduler = new ReadScheduler(1);
    let release!: () => void;
    const blocker = scheduler.run(urgency(0), () => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    let ran = false;
    const cancelled = scheduler.run(urgency(0), async () => void (ran = true), controller.signal);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'aborted' });
    expect(scheduler.pending).toBe(0);
    release();
    await blocker;
    expect(ran).toBe(false);
  });

  it('reads a request priority when a slot frees, so lowering it lets others pass', async () => {
    const scheduler = new ReadScheduler(1);
    const order: string[] = [];
    let release!: () => void;
    const blocker = scheduler.run(urgency(0), () => new Promise<void>((r) => (release = r)));
    let rank = 0;
    const lowered = scheduler.run({ rank: () => rank, deadline: () => Infinity }, async () => void order.push('lowered'));
    const other = scheduler.run(urgency(2), async () => void order.push('normal'));
    rank = 4;
    release();
    await Promise.all([blocker, lowered, other]);
    expect(order).toEqual(['normal', 'lowered']);
  });
});
