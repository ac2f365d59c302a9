/**
 * Hot-reload figures a game can show in a debug overlay: reloads in the last minute, and a
 * histogram of save → applied latency (the server stamps each change with the time of the first
 * file event; the client measures when its handlers are done).
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, Infinity];

export interface HotReloadMetricsSnapshot {
  /** Assets swapped since the client started. */
  reloads: number;
  /** Assets swapped during the last 60 s. */
  reloadsPerMinute: number;
  /** Save → applied, milliseconds. */
  latency: { count: number; p50: number; p95: number; max: number; buckets: { le: number; count: number }[] };
  /** Changes announced by the server whose bytes were not fetched (no one uses that asset here). */
  ignored: number;
  reconnects: number;
  /** Fetches or decodes that failed (the previous version stays). */
  failures: number;
  bytesFetched: number;
  /** Reloads that fetched only the changed streaming parts. */
  partialFetches: number;
  /** Bytes of received outputs the client holds for partial fetches (bounded by `maxHeldBytes`). */
  heldBytes: number;
}

const KEEP_SAMPLES = 2048;

export class HotReloadMetrics {
  reloads = 0;
  ignored = 0;
  reconnects = 0;
  failures = 0;
  bytesFetched = 0;
  partialFetches = 0;
  private readonly times: number[] = [];
  private readonly samples: number[] = [];
  private readonly counts = LATENCY_BUCKETS_MS.map(() => 0);
  private max = 0;

  constructor(private readonly now: () => number) {}

  reloaded(latencyMs: number): void {
    this.reloads++;
    this.times.push(this.now());
    const ms = Math.max(0, latencyMs);
    this.samples.push(ms);
    if (this.samples.length > KEEP_SAMPLES) this.samples.shift();
    this.max = Math.max(this.max, ms);
    this.counts[LATENCY_BUCKETS_MS.findIndex((le) => ms <= le)]!++;
  }

  snapshot(): Omit<HotReloadMetricsSnapshot, 'heldBytes'> {
    const cutoff = this.now() - 60_000;
    while (this.times.length > 0 && this.times[0]! < cutoff) this.times.shift();
    const sorted = [...this.samples].sort((a, b) => a - b);
    const quantile = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    return {
      reloads: this.reloads,
      reloadsPerMinute: this.times.length,
      latency: { count: this.samples.length, p50: quantile(0.5), p95: quantile(0.95), max: this.max, buckets: LATENCY_BUCKETS_MS.map((le, i) => ({ le, count: this.counts[i]! })) },
      ignored: this.ignored,
      reconnects: this.reconnects,
      failures: this.failures,
      bytesFetched: this.bytesFetched,
      partialFetches: this.partialFetches,
    };
  }
}
