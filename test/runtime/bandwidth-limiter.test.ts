import { describe, expect, it } from 'vitest';
import { AssetLoader } from '../../src/runtime/asset-loader.js';
import { BandwidthLimiter } from '../../src/runtime/bandwidth-limiter.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { FakeClock } from './support/fake-clock.js';

describe('bandwidth limiter', () => {
  it('spaces reads so that all of them together stay at the configured bytes per second', async () => {
    const clock = new FakeClock();
    const loader = new AssetLoader({ clock, bandwidth: 10_000, maxConcurrentReads: 8 });
    const source = memorySource(new Uint8Array(50_000));
    const finished: number[] = [];
    const reads = Array.from({ length: 5 }, (_, i) =>
      loader.read(source, i * 10_000, 10_000, { rank: () => 2, deadline: () => Infinity }).then(() => finished.push(clock.now())),
    );
    await clock.advance(0);
    expect(finished).toEqual([0]);
    await clock.advance(2500);
    expect(finished).toEqual([0, 1000, 2000]);
    await clock.advance(10_000);
    await Promise.all(reads);
    expect(finished).toEqual([0, 1000, 2000, 3000, 4000]);
    // 40 000 bytes after the first read took 4 s: exactly 10 000 B/s
    expect(loader.metrics().bytesRead).toBe(50_000);
  });

  it('does not wait at all when unlimited', async () => {
    const clock = new FakeClock();
    const limiter = new BandwidthLimiter(clock, 0);
    for (let i = 0; i < 10; i++) await limiter.acquire(1 << 20);
    expect(clock.sleeps).toEqual([]);
  });

  it('can be retuned while running', async () => {
    const clock = new FakeClock();
    const limiter = new BandwidthLimiter(clock, 1000);
    await limiter.acquire(1000);
    limiter.bytesPerSecond = 0;
    await limiter.acquire(1_000_000);
    expect(clock.sleeps).toEqual([]);
  });
});
