import { readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssetLoader } from '../../src/runtime/asset-loader.js';
import { openBundle } from '../../src/runtime/bundle-reader.js';
import type { ByteSource } from '../../src/runtime/byte-source.js';
import { openCatalog } from '../../src/runtime/catalog-reader.js';
import { fileSource } from '../../src/runtime/file-source.js';
import { GpuMemory } from '../../src/runtime/gpu-memory.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { RuntimeError } from '../../src/runtime/runtime-error.js';
import { forestLevel } from '../bundle/support/synthetic-assets.js';
import { driveUntil, FakeClock } from './support/fake-clock.js';
import { GatedSource } from './support/gated-source.js';
import { sampleBundle } from './support/sample-bundle.js';

const urgency = { rank: () => 2, deadline: () => Infinity };

describe('runtime metrics', () => {
  it('reports streaming bandwidth as bytes over wall time: about the limit under a 64 KiB/s cap', async () => {
    const clock = new FakeClock();
    const loader = new AssetLoader({ clock, bandwidth: 64 * 1024 });
    const source = memorySource(new Uint8Array(640 * 1024));
    const reads = Array.from({ length: 40 }, (_, i) => loader.read(source, i * 16 * 1024, 16 * 1024, urgency));
    await driveUntil(clock, Promise.all(reads), 100);
    const bandwidth = loader.metrics().streamingBandwidth;
    expect(bandwidth).toBeGreaterThan(64 * 1024 * 0.8);
    expect(bandwidth).toBeLessThan(64 * 1024 * 1.3);
    // Idle time counts: two seconds later nothing was read in the window.
    await clock.advance(2500);
    expect(loader.metrics().streamingBandwidth).toBe(0);
  });

  it('counts aborted loads as cancelled, not as failures; real errors stay failures', async () => {
    const { tar } = await sampleBundle();
    const source = new GatedSource(tar);
    source.open = true;
    const bundle = await openBundle(source);
    source.open = false;
    const controller = new AbortController();
    const load = bundle.load('//levels/forest:bark', { signal: controller.signal });
    controller.abort();
    await expect(load).rejects.toMatchObject({ code: 'aborted' });
    const early = new AbortController();
    early.abort();
    await expect(bundle.load('//levels/forest:oak', { signal: early.signal })).rejects.toMatchObject({ code: 'aborted' });
    await expect(bundle.load('//nope:missing')).rejects.toBeInstanceOf(RuntimeError);
    source.open = true;
    for (const pending of [...source.pending]) pending.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const metrics = bundle.metrics();
    expect(metrics.cancelled).toBe(2);
    expect(metrics.failures).toBe(0);
  });
});

describe('GPU memory accounting', () => {
  it('tracks what the game uploads and frees', () => {
    const gpu = new GpuMemory();
    gpu.uploaded('a', 1000);
    gpu.uploaded('b', 500);
    gpu.uploaded('a', 800);
    gpu.freed('b');
    expect(gpu.usage()).toMatchObject({ used: 800, resident: 1, uploads: 3, frees: 1, evictions: 0, over: 0 });
    expect(() => gpu.uploaded('c', Number.NaN)).toThrow(RangeError);
  });

  it('evicts least recently used, unpinned GPU copies through the allocator to stay within the budget', () => {
    const freed: string[] = [];
    const pinned = new Set(['a']);
    const gpu = new GpuMemory({ budget: 1000, allocator: { free: (id) => freed.push(id) } }, (id) => pinned.has(id));
    gpu.uploaded('a', 300);
    gpu.uploaded('b', 300);
    gpu.uploaded('c', 300);
    gpu.used('b');
    gpu.uploaded('d', 300); // 1200 > 1000: evict to ≤ 900, skipping pinned a; c is older than b
    expect(freed).toEqual(['c']);
    expect(gpu.usage()).toMatchObject({ used: 900, evictions: 1, over: 0 });
  });

  it('reports what it could not evict when there is no allocator or everything is pinned', () => {
    const gpu = new GpuMemory({ budget: 500 });
    gpu.uploaded('a', 400);
    gpu.uploaded('b', 400);
    expect(gpu.usage()).toMatchObject({ used: 800, over: 300, evictions: 0 });
  });

  it('is part of every loader and its metrics, with pins shared with the memory cache', async () => {
    const freed: string[] = [];
    const loader = new AssetLoader({ gpu: { budget: 100, allocator: { free: (id) => freed.push(id) } } });
    loader.cache.pin('keep');
    loader.gpu.uploaded('keep', 60);
    loader.gpu.uploaded('other', 30);
    loader.gpu.uploaded('new', 30);
    expect(freed).toEqual(['other']);
    expect(loader.metrics().gpu).toMatchObject({ used: 90, budget: 100, evictions: 1 });
  });
});

describe('sources are closed by close()', () => {
  it('openCatalog closes the catalog source with the reader, and on a failed open', async () => {
    const sample = await sampleBundle(forestLevel(), { group_by: 'type' });
    const closed: string[] = [];
    const tracked = (bytes: Uint8Array, name: string): ByteSource => ({ ...memorySource(bytes, name), close: async () => void closed.push(name) });
    const catalog = await openCatalog(tracked(sample.catalog, 'catalog'), { resolve: (file) => tracked(sample.files.get(file)!, file) });
    await catalog.load('//levels/forest:bark');
    await catalog.close();
    expect(closed).toContain('catalog');
    expect(closed.length).toBeGreaterThan(1);
    closed.length = 0;
    await expect(openCatalog(tracked(new TextEncoder().encode('{"nope":1}'), 'broken'))).rejects.toMatchObject({ code: 'corrupt' });
    expect(closed).toEqual(['broken']);
  });

  it.skipIf(process.platform !== 'linux')('leaves no file descriptor open after catalog.close() with fileSource', async () => {
    const sample = await sampleBundle(forestLevel(), { group_by: 'type' });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-catalog-'));
    try {
      for (const [name, bytes] of sample.files) writeFileSync(join(dir, name), bytes);
      const catalogName = [...sample.files.keys()].find((n) => n.endsWith('.catalog.json'))!;
      const openFds = () => readdirSync('/proc/self/fd').length;
      const before = openFds();
      const catalog = await openCatalog(fileSource(join(dir, catalogName)));
      await catalog.load('//levels/forest:bark');
      expect(openFds()).toBeGreaterThan(before);
      await catalog.close();
      expect(openFds()).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
