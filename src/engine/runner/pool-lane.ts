import { MessageChannel } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Piscina } from 'piscina';
import { digestKey, sameDigest } from '../../hash/digest.js';
import type { BlobStore } from '../../store/blob-store.js';
import type { ActionUnit } from './action-unit.js';
import type { BlobReply, BlobRequest, PoolTask, PoolWorkerData, TaskStarted } from './pool-task.js';
import type { ActionRun, RunMode } from './run-action.js';

export interface LaneOptions {
  root: string;
  allowedRoots: string[];
  workerUrl: string;
  /** Heap limit of the worker, so a runaway rule kills its worker, not the build. */
  maxHeapMb?: number;
  /** Rule modules (`url#factory`) the worker imports before it takes its first task. */
  preload: string[];
}

/** Thrown when the pool, not the rule, ended the action: a worker that died, or a timeout. */
export class PoolTaskError extends Error {
  constructor(
    readonly kind: 'worker-crashed' | 'rule-timeout',
    message: string,
  ) {
    super(message);
  }
}

/**
 * One worker thread of the pool (a single-thread piscina, which replaces the thread when it dies)
 * and what that thread has warm: the rule modules it has imported, whose codecs it has loaded and
 * whose code V8 has optimised. Another isolate pays all of that again, so the pool sends a rule's
 * cooks back to a lane that already has it (worker-pool.ts). One task at a time.
 *
 * The main thread keeps the store: blob reads are answered over a per-task port, output bytes
 * come back transferred and are put in the store here.
 */
export class PoolLane {
  private readonly pool: Piscina;
  /** Rule modules this lane's current thread has cooked with (a replaced thread starts empty). */
  readonly warm = new Set<string>();
  busy = false;

  constructor(private readonly options: LaneOptions) {
    // Required when the first lane is made, not at import: a build whose actions are all
    // up to date never starts one, and every `kiln build` imports this file.
    const { Piscina: Pool } = createRequire(import.meta.url)('piscina') as typeof import('piscina');
    this.pool = new Pool({
      filename: options.workerUrl,
      // Started now (the thread boots and imports its rules while the main thread still analyses),
      // and kept: a crashed thread is replaced at once.
      minThreads: 1,
      maxThreads: 1,
      // One task per worker at a time: cooks are CPU-bound, and a crash takes only one action along.
      concurrentTasksPerWorker: 1,
      // Idle workers do not keep the process alive (piscina unrefs them); keeping them warm spares
      // `kiln watch` a worker start and codec load on the next save.
      idleTimeout: 10 * 60_000,
      workerData: { preload: options.preload } satisfies PoolWorkerData,
      ...(options.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } } : {}),
    });
  }

  async run(unit: ActionUnit, moduleUrl: string, mode: RunMode, blobs: BlobStore, timeoutMs: number, signal?: AbortSignal): Promise<ActionRun> {
    const channel = new MessageChannel();
    const abort = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const limited = timeoutMs > 0 && Number.isFinite(timeoutMs);
    channel.port1.on('message', (request: BlobRequest | TaskStarted) => {
      if ('started' in request) {
        // The limit covers the rule (loading its module included), not the wait for a free worker.
        if (limited) timer = setTimeout(() => ((timedOut = true), abort.abort()), timeoutMs);
        return;
      }
      blobs.get(request.digest).then(
        (bytes) => channel.port1.postMessage({ id: request.id, bytes: bytes ?? null } satisfies BlobReply),
        (error: Error) => channel.port1.postMessage({ id: request.id, bytes: null, error: error.message } satisfies BlobReply),
      );
    });
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const task: PoolTask = { unit, moduleUrl, mode, root: this.options.root, allowedRoots: this.options.allowedRoots, blobs: channel.port2 };
    let run: ActionRun;
    try {
      run = (await this.pool.run(task, { transferList: [channel.port2], signal: abort.signal })) as ActionRun;
    } catch (error) {
      // The thread is gone (piscina starts a fresh one): nothing it had loaded is warm any more.
      this.warm.clear();
      if (timedOut) throw new PoolTaskError('rule-timeout', `rule "${unit.rule.name}" did not finish within ${formatMs(timeoutMs)}; its worker was stopped`);
      if (signal?.aborted) throw error;
      const err = error as NodeJS.ErrnoException;
      const why = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'ran out of memory' : err.message;
      throw new PoolTaskError('worker-crashed', `the worker thread cooking it died (${why}); the rule crashed its worker`);
    } finally {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      channel.port1.close();
    }
    if (!run.failure) {
      // The store is written here, on the main thread; the worker's digests must match what it hashes.
      for (let i = 0; i < run.outputs.length; i++) {
        const output = run.outputs[i]!;
        const stored = await blobs.put(run.outputBytes[i]!);
        if (!sameDigest(stored, output.digest)) throw new PoolTaskError('worker-crashed', `output ${output.name} arrived as ${digestKey(stored)}, the worker said ${digestKey(output.digest)}`);
      }
    }
    return run;
  }

  close(): Promise<void> {
    return this.pool.close({ force: true });
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}
