/** The seed's AssetPipelineMetrics for the reader: loads, hit rate, load time, bandwidth, memory. */
import type { DiskCacheMetrics } from './disk-cache/disk-cache.js';
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
  failures: number;
  /** Loads that finished after their deadline. */
  deadlineMisses: number;
  /** Bytes read from byte sources. */
  bytesRead: number;
  reads: number;
  /** bytesRead per second of time with at least one read in flight. */
  streamingBandwidth: number;
  evictions: number;
  memory: MemoryUsage;
  /** The disk cache tier's counters, when the loader has one. */
  disk?: DiskCacheMetrics;
}

export class MetricsRecorder {
  loads = 0;
  hits = 0;
  misses = 0;
  failures = 0;
  deadlineMisses = 0;
  bytesRead = 0;
  reads = 0;
  private loadMsTotal = 0;
  private inFlight = 0;
  private busySince = 0;
  private busyMs = 0;

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

  readStarted(): void {
    if (this.inFlight++ === 0) this.busySince = this.now();
  }

  readEnded(bytes: number): void {
    this.reads++;
    this.bytesRead += bytes;
    if (--this.inFlight === 0) this.busyMs += this.now() - this.busySince;
  }

  snapshot(memory: MemoryUsage, evictions: number): RuntimeMetrics {
    const busy = this.busyMs + (this.inFlight > 0 ? this.now() - this.busySince : 0);
    return {
      loads: this.loads,
      cacheHits: this.hits,
      cacheMisses: this.misses,
      cacheHitRate: this.hits + this.misses === 0 ? 0 : this.hits / (this.hits + this.misses),
      averageLoadMs: this.misses === 0 ? 0 : this.loadMsTotal / this.misses,
      failures: this.failures,
      deadlineMisses: this.deadlineMisses,
      bytesRead: this.bytesRead,
      reads: this.reads,
      streamingBandwidth: busy > 0 ? (this.bytesRead * 1000) / busy : 0,
      evictions,
      memory,
    };
  }
}
