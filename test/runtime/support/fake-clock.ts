/** A manual clock: time moves only when a test calls `advance`, and due timers fire in order. */
import type { Clock } from '../../../src/runtime/clock.js';
import { RuntimeError } from '../../../src/runtime/runtime-error.js';

interface Timer {
  at: number;
  resolve: () => void;
}

/** Lets every pending promise callback run (a macrotask turn drains the microtask queue). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private t = 0;
  private timers: Timer[] = [];
  /** Every sleep requested, in ms (for assertions). */
  readonly sleeps: number[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new RuntimeError('aborted', 'aborted'));
      const timer: Timer = { at: this.t + ms, resolve };
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(new RuntimeError('aborted', 'aborted'));
      });
      this.timers.push(timer);
    });
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.t = next.at;
      next.resolve();
      await settle();
    }
    this.t = target;
    await settle();
  }
}

/** Advances `clock` in steps until `promise` settles (at most `limitMs` of fake time). */
export async function driveUntil<T>(clock: FakeClock, promise: Promise<T>, stepMs = 50, limitMs = 600_000): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let t = 0; t < limitMs && !settled; t += stepMs) {
    // Fake time moves only while the code under test sleeps on the clock: when nothing sleeps,
    // it is busy for real (a WebCrypto digest check, say), and advancing would overshoot.
    for (let idle = 0; idle < 2000 && !settled && clock.pendingTimers === 0; idle++) await new Promise((resolve) => setTimeout(resolve, 1));
    if (settled) break;
    await clock.advance(stepMs);
  }
  return promise;
}
