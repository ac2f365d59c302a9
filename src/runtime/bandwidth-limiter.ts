/**
 * Caps the bytes per second all reads share (the seed's BandwidthLimiter). Each read reserves its
 * bytes on a timeline: it may start once every byte reserved before it has had its time at the
 * given rate. Reads are granted in the order the read scheduler releases them, so priorities hold.
 */
import type { Clock } from './clock.js';

export class BandwidthLimiter {
  private next = 0;

  constructor(
    private readonly clock: Clock,
    /** Bytes per second; 0 or Infinity = unlimited. */
    public bytesPerSecond: number,
  ) {}

  async acquire(bytes: number, signal?: AbortSignal): Promise<void> {
    if (!(this.bytesPerSecond > 0) || this.bytesPerSecond === Infinity) return;
    const now = this.clock.now();
    const start = Math.max(now, this.next);
    this.next = start + (bytes * 1000) / this.bytesPerSecond;
    if (start > now) await this.clock.sleep(start - now, signal);
  }
}
