import { availableParallelism } from 'node:os';
import type { BlobStore } from '../../store/blob-store.js';
import type { ActionUnit } from './action-unit.js';
import { raiseJitBudget } from './jit-budget.js';
import { PoolLane } from './pool-lane.js';
import type { ActionRun, RunMode } from './run-action.js';

export interface WorkerPoolOptions {
  /** Worker threads (at most this many cooks run in workers at once). */
  threads: number;
  root: string;
  allowedRoots?: string[];
  workerUrl: string;
  /** Heap limit of each worker, so a runaway rule kills its worker, not the build. */
  maxHeapMb?: number;
}

interface Waiting {
  /** The rule module (`url#factory`) the task imports. */
  module: string;
  start: (lane: PoolLane) => void;
}

/**
 * Worker threads that run units, one lane per thread (pool-lane.ts: a thread that dies or
 * overstays the timeout is replaced; only its own action fails).
 *
 * Which thread runs a cook matters as much as how many run: every thread imports a rule's codecs
 * and warms its code on its own (measured on the sample: the model libraries alone take ~180 ms
 * to load per thread, and a rule's first cooks in a thread run 30–150 % slower than later ones).
 * So a cook goes to a free thread that already ran its rule, else to a free thread that has run
 * nothing yet, else to any free thread; when none is free it waits, and a thread that frees up
 * takes the first waiting cook of a rule it has, else the oldest one.
 */
export class WorkerPool {
  private readonly lanes: PoolLane[] = [];
  private readonly waiting: Waiting[] = [];

  constructor(private readonly options: WorkerPoolOptions) {
    // Only when cook threads take every core: then V8's background compiler competes with a cook
    // (see jit-budget.ts). With a core to spare it runs there for free, and a lower budget only
    // lets a cook's code run unoptimised for longer. Before the first thread starts, so every
    // worker isolate is made with it.
    if (options.threads >= availableParallelism()) raiseJitBudget();
  }

  /**
   * Start `count` threads now (at most `threads`), each importing `modules` before its first task,
   * so thread start-up overlaps the build's analysis instead of delaying its first cooks.
   */
  start(count: number, modules: readonly string[]): void {
    while (this.lanes.length < Math.min(count, this.options.threads)) this.lanes.push(this.newLane(modules));
  }

  run(unit: ActionUnit, moduleUrl: string, mode: RunMode, blobs: BlobStore, timeoutMs: number, signal?: AbortSignal): Promise<ActionRun> {
    const module = `${moduleUrl}#${unit.rule.module?.factory ?? ''}`;
    return new Promise<ActionRun>((resolve, reject) => {
      const entry: Waiting = {
        module,
        start: (lane) => {
          signal?.removeEventListener('abort', onAbort);
          lane.busy = true;
          lane.warm.add(module);
          lane.run(unit, moduleUrl, mode, blobs, timeoutMs, signal).then(resolve, reject).finally(() => {
            lane.busy = false;
            this.dispatch();
          });
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(entry);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        reject(signal!.reason instanceof Error ? signal!.reason : new Error('the build was aborted before this cook started'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.dispatch();
    });
  }

  get threads(): number {
    return this.options.threads;
  }

  /** Threads started so far (at most `threads`; a build with one cook starts one). */
  get started(): number {
    return this.lanes.length;
  }

  close(): Promise<void> {
    const lanes = this.lanes.splice(0);
    return Promise.all(lanes.map((lane) => lane.close())).then(() => undefined);
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const pick = this.choose();
      if (!pick) return;
      this.waiting.splice(pick.index, 1);
      pick.entry.start(pick.lane);
    }
  }

  /** The next (waiting cook, free lane) pair, or undefined when every lane is busy. */
  private choose(): { entry: Waiting; index: number; lane: PoolLane } | undefined {
    const free = this.lanes.filter((lane) => !lane.busy);
    // A thread that has everything warm for a waiting cook: the oldest such cook.
    for (let index = 0; index < this.waiting.length; index++) {
      const entry = this.waiting[index]!;
      const lane = free.find((l) => l.warm.has(entry.module));
      if (lane) return { entry, index, lane };
    }
    const entry = this.waiting[0]!;
    // A cook of a rule no free thread has: a fresh thread (started now if there is room), else the free one that has least loaded.
    const fresh = free.find((l) => l.warm.size === 0);
    if (fresh) return { entry, index: 0, lane: fresh };
    if (this.lanes.length < this.options.threads) {
      const lane = this.newLane([]);
      this.lanes.push(lane);
      return { entry, index: 0, lane };
    }
    const lane = free.sort((a, b) => a.warm.size - b.warm.size)[0];
    return lane ? { entry, index: 0, lane } : undefined;
  }

  private newLane(preload: readonly string[]): PoolLane {
    return new PoolLane({ root: this.options.root, allowedRoots: this.options.allowedRoots ?? [], workerUrl: this.options.workerUrl, preload: [...preload], ...(this.options.maxHeapMb ? { maxHeapMb: this.options.maxHeapMb } : {}) });
  }
}
