/** The seed's AssetPipelineMetrics for the reader: loads, hit rate, load time, bandwidth, memory. */
import type { DiskCacheMetrics } from './disk-cache/disk-cache.js';
import type { GpuUsage } from './gpu-memory.js';
import type { MemoryUsage } from './memory-cache.js';

export interface RuntimeMetrics {
  /** Completed `load` calls (hits and misses). */
  loads: number;
  cacheHits: number;
  cacheMisses: number;
  /** hits / (hits + misses), 0 when nothing loaded. */
  cacheHitRate: number;
  /** Mean milliseconds from `load` to result, over misses. */
  averageLoadMs: number;
  /** Loads that failed (corrupt data, I/O errors, unknown assets); cancelled loads are not failures. */
  failures: number;
  /** Loads the caller aborted (their `signal` fired) before they finished. */
  cancelled: number;
  /** Loads that finished after their deadline. */
  deadlineMisses: number;
  /** Bytes read from byte sources. */
  bytesRead: number;
  reads: number;
  /**
   * Bytes read per second of wall time over the last BANDWIDTH_WINDOW_MS (or since the first read
   * was requested, when that is more recent): what the game really got, waits for the bandwidth
   * limiter and idle gaps included.
   */
  streamingBandwidth: number;
  evictions: number;
  memory: MemoryUsage;
  /** GPU copies as the game reported them (`loader.gpu`). */
  gpu: GpuUsage;
  /** The disk cache tier's counters, when the loader has one. */
  disk?: DiskCacheMetrics;
}

/** Window of `streamingBandwidth`. */
export const BANDWIDTH_WINDOW_MS = 2000;

export class MetricsRecorder {
  loads = 0;
  hits = 0;
  misses = 0;
  failures = 0;
  cancelled = 0;
  deadlineMisses = 0;
  bytesRead = 0;
  reads = 0;
  private loadMsTotal = 0;
  /** Completed reads in the bandwidth window: end time and bytes. */
  private readonly window: { at: number; bytes: number }[] = [];
  private firstRequest: number | undefined;

  constructor(private readonly now: () => number) {}

  hit(): void {
    this.loads++;
    this.hits++;
  }

  miss(ms: number): void {
    this.loads++;
    this.misses++;
    this.loadMsTotal += ms;
  }

  /** A read was asked for (before it waits for a slot or the bandwidth limiter). */
  readRequested(): void {
    this.firstRequest ??= this.now();
  }

  readEnded(bytes: number): void {
    this.reads++;
    this.bytesRead += bytes;
    this.window.push({ at: this.now(), bytes });
    this.trim(this.now());
  }

  private trim(now: number): void {
    while (this.window.length > 0 && this.window[0]!.at <= now - BANDWIDTH_WINDOW_MS) this.window.shift();
  }

  private bandwidth(): number {
    const now = this.now();
    this.trim(now);
    if (this.firstRequest === undefined) return 0;
    const span = Math.min(BANDWIDTH_WINDOW_MS, now - this.firstRequest);
    if (span <= 0) return 0;
    let bytes = 0;
    for (const sample of this.window) bytes += sample.bytes;
    return (bytes * 1000) / span;
  }

  snapshot(memory: MemoryUsage, evictions: number): Omit<RuntimeMetrics, 'gpu'> {
    return {
      loads: this.loads,
      cacheHits: this.hits,
      cacheMisses: this.misses,
      cacheHitRate: this.hits + this.misses === 0 ? 0 : this.hits / (this.hits + this.misses),
      averageLoadMs: this.misses === 0 ? 0 : this.loadMsTotal / this.misses,
      failures: this.failures,
      cancelled: this.cancelled,
      deadlineMisses: this.deadlineMisses,
      bytesRead: this.bytesRead,
      reads: this.reads,
      streamingBandwidth: this.bandwidth(),
      evictions,
      memory,
    };
  }
}
