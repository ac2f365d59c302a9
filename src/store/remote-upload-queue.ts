/**
 * Background uploads with a bound on requests in flight, and a deadline for waiting on them.
 * Work is tracked (not awaited) when scheduled; `drain` waits for everything tracked, and at the
 * deadline aborts what is left so a slow server can never hold the build's exit hostage.
 * Slots are taken only around the HTTP request itself: a task that waits for other uploads
 * (an action entry waiting for its blobs) waits outside a slot, so the queue cannot deadlock.
 */
export class RemoteUploadQueue {
  readonly #concurrency: number;
  readonly #waiting: (() => void)[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  #active = 0;
  #abort = new AbortController();

  constructor(concurrency: number) {
    this.#concurrency = Math.max(1, concurrency);
  }

  /** Aborted when a drain hits its deadline; pass it to every request. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** Run `task` once fewer than `concurrency` slot holders are running. */
  async slot<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.#abort.signal;
    if (this.#active >= this.#concurrency) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active += 1;
    }
    try {
      return await task(signal);
    } finally {
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter so `#active` never overshoots.
      if (next) next();
      else this.#active -= 1;
    }
  }

  /** Track background work; rejections are swallowed (tasks report their own failures). */
  track(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined).finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
  }

  /**
   * Wait until nothing is pending or `deadlineMs` passed; then abort the rest, give them a
   * moment to notice, and return how many were still unfinished at the deadline.
   */
  async drain(deadlineMs: number): Promise<number> {
    const deadline = Date.now() + deadlineMs;
    while (this.#pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, left);
      });
      await Promise.race([Promise.allSettled([...this.#pending]), expired]);
      clearTimeout(timer);
    }
    const unfinished = this.#pending.size;
    if (unfinished > 0) {
      this.#abort.abort();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1000);
      });
      await Promise.race([Promise.allSettled([...this.#pending]), grace]);
      clearTimeout(timer);
      // Later uploads (watch mode keeps the stack) get a fresh, unaborted signal.
      this.#abort = new AbortController();
    }
    return unfinished;
  }
}
