/**
 * Orders reads by priority (critical → on_demand), then by deadline (earliest first, none last),
 * then first come first served, and caps how many run at once. A request's priority and deadline
 * are read when a slot frees, so raising or lowering a load takes effect for its remaining reads.
 */
import { abortError } from './runtime-error.js';

export interface ReadUrgency {
  /** 0 = critical … 4 = on_demand. */
  rank(): number;
  /** Clock milliseconds, or Infinity. */
  deadline(): number;
}

interface Waiting {
  urgency: ReadUrgency;
  seq: number;
  start: () => void;
  cancel: () => void;
}

export class ReadScheduler {
  private running = 0;
  private seq = 0;
  private readonly queue: Waiting[] = [];

  constructor(public maxConcurrent: number) {}

  get pending(): number {
    return this.queue.length;
  }

  get active(): number {
    return this.running;
  }

  /** Runs `task` when its turn comes; rejects with `aborted` if `signal` fires while it waits. */
  run<T>(urgency: ReadUrgency, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const at = this.queue.indexOf(waiting);
        if (at >= 0) this.queue.splice(at, 1);
        reject(abortError(signal));
      };
      const waiting: Waiting = {
        urgency,
        seq: this.seq++,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.running++;
          // the slot frees before the caller resumes, so the next read is already under way while
          // the caller hashes and decodes what it got
          const release = () => {
            this.running--;
            this.pump();
          };
          task().then(
            (value) => {
              release();
              resolve(value);
            },
            (error: unknown) => {
              release();
              reject(error);
            },
          );
        },
        cancel: onAbort,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiting);
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      let best = 0;
      for (let i = 1; i < this.queue.length; i++) if (before(this.queue[i]!, this.queue[best]!)) best = i;
      const [next] = this.queue.splice(best, 1);
      next!.start();
    }
  }
}

function before(a: Waiting, b: Waiting): boolean {
  const ra = a.urgency.rank();
  const rb = b.urgency.rank();
  if (ra !== rb) return ra < rb;
  const da = a.urgency.deadline();
  const db = b.urgency.deadline();
  if (da !== db) return da < db;
  return a.seq < b.seq;
}
