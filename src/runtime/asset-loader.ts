/**
 * The shared machinery behind every open bundle and catalog: one read scheduler (priority,
 * deadline, concurrency cap), one bandwidth limiter, one memory cache, one set of metrics, and
 * the in-flight table that makes concurrent loads of the same asset share one read (Vite's
 * in-flight dedupe). Pass one loader to several `openBundle` calls to share budgets across them.
 */
import { LOAD_PRIORITIES, type LoadPriority } from '../format/asset-type.js';
import { BandwidthLimiter } from './bandwidth-limiter.js';
import type { ByteRange, ByteSource } from './byte-source.js';
import { systemClock, type Clock } from './clock.js';
import type { Decoders } from './decompress.js';
import type { DiskCache } from './disk-cache/disk-cache.js';
import type { LoadedAsset } from './loaded-asset.js';
import { GpuMemory, type GpuOptions } from './gpu-memory.js';
import { MemoryCache, type CacheBudgets } from './memory-cache.js';
import { MetricsRecorder, type RuntimeMetrics } from './metrics.js';
import { MAX_RUN_BYTES, ReadCoalescer } from './read-coalescer.js';
import { ReadScheduler, type ReadUrgency } from './read-scheduler.js';
import { abortError, RuntimeError } from './runtime-error.js';

export interface LoaderOptions {
  /** Time source (tests pass a fake clock). Default: `performance.now()` and `setTimeout`. */
  clock?: Clock;
  /** Bytes per second shared by all reads; 0 = unlimited (default). */
  bandwidth?: number;
  /** Reads in flight at once (default 4). */
  maxConcurrentReads?: number;
  /** Memory budgets in bytes (default: unlimited). */
  memory?: CacheBudgets;
  /** Replacement decoders (native zstd/zlib in Node…); default fzstd and DecompressionStream. */
  decoders?: Decoders;
  /** GPU memory budget and the allocator kiln calls to evict GPU copies (see GpuMemory). */
  gpu?: GpuOptions;
  /** Persistent tier below the memory cache (see disk-cache/): loads go memory → disk → source. */
  diskCache?: DiskCache;
}

export interface LoadOptions {
  /** Queue priority; default: the asset's priority from the index. */
  priority?: LoadPriority;
  /** Clock time (ms, same base as `performance.now()`) the caller needs it by; orders loads within a priority. */
  deadline?: number;
  /** Aborting rejects this caller's promise; the read stops when no caller is left. */
  signal?: AbortSignal;
}

interface Waiter {
  rank: number;
  deadline: number;
}

/** One in-flight load shared by every caller waiting for the same asset. */
class SharedLoad implements ReadUrgency {
  readonly waiters = new Set<Waiter>();
  readonly controller = new AbortController();
  promise!: Promise<LoadedAsset>;

  rank(): number {
    let best: number = LOAD_PRIORITIES.length;
    for (const w of this.waiters) best = Math.min(best, w.rank);
    return best;
  }

  deadline(): number {
    let best = Infinity;
    for (const w of this.waiters) best = Math.min(best, w.deadline);
    return best;
  }
}

export class AssetLoader {
  readonly clock: Clock;
  readonly scheduler: ReadScheduler;
  readonly limiter: BandwidthLimiter;
  readonly cache: MemoryCache<LoadedAsset>;
  readonly decoders: Decoders;
  /** GPU copies the game reports (uploads, frees, use); budgets and eviction over GPU memory. */
  readonly gpu: GpuMemory;
  readonly diskCache: DiskCache | undefined;
  private readonly recorder: MetricsRecorder;
  private readonly inflight = new Map<string, SharedLoad>();
  private readonly coalescer: ReadCoalescer;

  constructor(options: LoaderOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.scheduler = new ReadScheduler(options.maxConcurrentReads ?? 4);
    this.limiter = new BandwidthLimiter(this.clock, options.bandwidth ?? 0);
    this.cache = new MemoryCache<LoadedAsset>(options.memory);
    this.decoders = options.decoders ?? {};
    this.gpu = new GpuMemory(options.gpu, (id) => this.cache.isPinned(id));
    this.diskCache = options.diskCache;
    this.diskCache?.attachPins((id) => this.cache.isPinned(id));
    this.recorder = new MetricsRecorder(() => this.clock.now());
    // under a bandwidth limit a run reserves at most ~100 ms of it, so urgent reads queue behind little
    this.coalescer = new ReadCoalescer(
      (source, ranges, urgency, signal) => this.execute(source, ranges, urgency, signal),
      () => (this.limiter.bytesPerSecond > 0 && Number.isFinite(this.limiter.bytesPerSecond) ? Math.min(MAX_RUN_BYTES, this.limiter.bytesPerSecond / 10) : MAX_RUN_BYTES),
    );
  }

  /**
   * A scheduled, rate-limited, measured read. Reads issued together for neighbouring ranges of a
   * source that supports `readRanges` are merged into one (see ReadCoalescer).
   */
  read(source: ByteSource, offset: number, length: number, urgency: ReadUrgency, signal?: AbortSignal): Promise<Uint8Array> {
    return this.coalescer.read(source, offset, length, urgency, signal);
  }

  private execute(source: ByteSource, ranges: readonly ByteRange[], urgency: ReadUrgency, signal?: AbortSignal): Promise<Uint8Array[]> {
    const first = ranges[0]!;
    const last = ranges[ranges.length - 1]!;
    this.recorder.readRequested();
    return this.scheduler.run(
      urgency,
      async () => {
        // a merged run moves its gaps too, so it reserves the whole span
        await this.limiter.acquire(last.offset + last.length - first.offset, signal);
        let got = 0;
        try {
          const parts = ranges.length === 1 ? [await source.read(first.offset, first.length, signal)] : await source.readRanges!(ranges, signal);
          for (const p of parts) got += p.byteLength;
          return parts;
        } finally {
          this.recorder.readEnded(got);
        }
      },
      signal,
    );
  }

  /** Whether `key` is being loaded right now (stream handles join it instead of reading twice). */
  inflightLoad(key: string): Promise<LoadedAsset> | undefined {
    return this.inflight.get(key)?.promise;
  }

  /**
   * Cache hit, or join the in-flight load of `key`, or start `work`. `work` gets the shared
   * urgency (most urgent waiter wins) and a signal that fires when every waiter has given up.
   */
  load(key: string, defaultPriority: LoadPriority, options: LoadOptions, work: (urgency: ReadUrgency, signal: AbortSignal) => Promise<LoadedAsset>): Promise<LoadedAsset> {
    const cached = this.cache.get(key);
    if (cached) {
      this.recorder.hit();
      return Promise.resolve(cached);
    }
    const { signal } = options;
    if (signal?.aborted) {
      this.recorder.cancelled++;
      return Promise.reject(abortError(signal));
    }
    const started = this.clock.now();
    const waiter: Waiter = { rank: LOAD_PRIORITIES.indexOf(options.priority ?? defaultPriority), deadline: options.deadline ?? Infinity };
    let shared = this.inflight.get(key);
    if (!shared) {
      const fresh = new SharedLoad();
      fresh.promise = work(fresh, fresh.controller.signal).finally(() => {
        if (this.inflight.get(key) === fresh) this.inflight.delete(key);
      });
      fresh.promise.catch(() => undefined);
      this.inflight.set(key, fresh);
      shared = fresh;
    }
    const job = shared;
    job.waiters.add(waiter);
    return new Promise<LoadedAsset>((resolve, reject) => {
      let aborted = false;
      const onAbort = () => {
        aborted = true;
        this.recorder.cancelled++;
        job.waiters.delete(waiter);
        if (job.waiters.size === 0) {
          job.controller.abort(abortError(signal));
          if (this.inflight.get(key) === job) this.inflight.delete(key);
        }
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      job.promise.then(
        (asset) => {
          signal?.removeEventListener('abort', onAbort);
          const now = this.clock.now();
          this.recorder.miss(now - started);
          if (now > waiter.deadline) this.recorder.deadlineMisses++;
          resolve(asset);
        },
        (error: Error) => {
          signal?.removeEventListener('abort', onAbort);
          // This caller already left (counted as cancelled); the shared read stopping is not a failure.
          if (aborted) return;
          if (error instanceof RuntimeError && error.code === 'aborted') this.recorder.cancelled++;
          else this.recorder.failures++;
          reject(error);
        },
      );
    });
  }

  metrics(): RuntimeMetrics {
    const snapshot = { ...this.recorder.snapshot(this.cache.usage(), this.cache.evictions), gpu: this.gpu.usage() };
    return this.diskCache ? { ...snapshot, disk: this.diskCache.metrics() } : snapshot;
  }

  /** Counts a load that completed through a stream handle (not through `load`). */
  recordStreamed(ms: number): void {
    this.recorder.miss(ms);
  }
}

export function createLoader(options: LoaderOptions = {}): AssetLoader {
  return new AssetLoader(options);
}
