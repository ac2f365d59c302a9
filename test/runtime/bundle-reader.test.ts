import { beforeAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../src/runtime/bundle-reader.js';
import type { LoadedAudio, LoadedData, LoadedModel, LoadedTexture } from '../../src/runtime/loaded-asset.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { mipPixels, texture } from '../bundle/support/synthetic-assets.js';
import { FakeClock, settle } from './support/fake-clock.js';
import { GatedSource } from './support/gated-source.js';
import { originalBytes, sampleBundle, type SampleBundle } from './support/sample-bundle.js';

let sample: SampleBundle;
beforeAll(async () => {
  sample = await sampleBundle();
});

/** Opens the bundle on a gated source, letting the index reads through. */
async function openGated(options: Parameters<typeof openBundle>[1] = {}) {
  const source = new GatedSource(sample.tar);
  source.open = true;
  const bundle = await openBundle(source, { clock: new FakeClock(), ...options });
  source.open = false;
  source.log.length = 0;
  return { source, bundle };
}

function entryOffset(bundle: Awaited<ReturnType<typeof openBundle>>, label: string): number {
  const asset = bundle.info(label)!;
  return bundle.index.entries.find((e) => e.path === asset.entries[0])!.offset;
}

describe('bundle reader: loads', () => {
  it('decodes every asset type into typed results', async () => {
    const bundle = await openBundle(memorySource(sample.tar));
    const bark = await bundle.load<LoadedTexture>('//levels/forest:bark');
    expect(bark).toMatchObject({ type: 'texture', width: 64, height: 64, format: 'rgba8', mipCount: 7, baseLevel: 0 });
    for (let level = 0; level < 7; level++) {
      expect(bark.mips[level]!.width).toBe(64 >> level);
      expect(bark.mips[level]!.bytes).toEqual(mipPixels(64, level, 1));
    }
    const oak = await bundle.load<LoadedModel>('//levels/forest:oak');
    expect(oak.lods.map((l) => new TextDecoder().decode(l!).split('.')[0])).toEqual([0, 1, 2].map((i) => `glTF//levels/forest:oak#LOD${i}`));
    const duck = await bundle.load<LoadedModel>('//levels/forest:duck');
    expect(duck.lods.map((l) => new TextDecoder().decode(l!).split('~')[0])).toEqual([0, 1, 2].map((i) => `glTF//levels/forest:duck#LOD${i}`));
    const level = await bundle.load<LoadedData>('//levels/forest:level');
    expect(level.value).toMatchObject({ name: 'forest', spawn: [1, 2, 3] });
    const wind = await bundle.load<LoadedAudio>(bundle.info('//levels/forest:wind')!.id);
    expect(wind.chunks.length).toBe(4);
    expect(wind.playableChunks).toBe(4);
    const windBytes = originalBytes(sample.assets.find((a) => a.dep.label === '//levels/forest:wind')!);
    expect(wind.chunks[1]).toEqual(windBytes.subarray(1000, 2000));
  });

  it('shares one read between concurrent loads of the same asset and serves later loads from memory', async () => {
    const { source, bundle } = await openGated();
    const a = bundle.load('//levels/forest:bark');
    const b = bundle.load('//levels/forest:bark', { priority: 'critical' });
    await settle();
    expect(source.log.length).toBe(1);
    source.releaseAll();
    expect(await a).toBe(await b);
    await bundle.load('//levels/forest:bark');
    expect(source.log.length).toBe(1);
    const m = bundle.metrics();
    expect(m).toMatchObject({ loads: 3, cacheHits: 1, cacheMisses: 2 });
    expect(m.cacheHitRate).toBeCloseTo(1 / 3);
  });

  it('serves queued loads by priority, then by deadline', async () => {
    const { source, bundle } = await openGated({ maxConcurrentReads: 1 });
    const blocker = bundle.load('//levels/forest:wind');
    await settle();
    const loads = [
      bundle.load('//levels/forest:leaves', { priority: 'low' }),
      bundle.load('//levels/forest:oak', { priority: 'normal', deadline: 500 }),
      bundle.load('//levels/forest:bark', { priority: 'normal', deadline: 100 }),
      bundle.load('//levels/forest:level', { priority: 'critical' }),
    ];
    await settle();
    for (let i = 0; i < 5; i++) {
      source.releaseAll();
      await settle();
    }
    await Promise.all([blocker, ...loads]);
    const order = source.log.map((r) => r.offset);
    expect(order).toEqual(['wind', 'level', 'bark', 'oak', 'leaves'].map((n) => entryOffset(bundle, `//levels/forest:${n}`)));
  });

  it('cancels one caller without disturbing the other, and stops the read when nobody waits', async () => {
    const { source, bundle } = await openGated({ maxConcurrentReads: 1 });
    const blocker = bundle.load('//levels/forest:wind');
    const c1 = new AbortController();
    const c2 = new AbortController();
    const first = bundle.load('//levels/forest:bark', { signal: c1.signal });
    const second = bundle.load('//levels/forest:bark', { signal: c2.signal });
    const lone = new AbortController();
    const gone = bundle.load('//levels/forest:oak', { signal: lone.signal });
    c1.abort();
    lone.abort();
    await expect(first).rejects.toMatchObject({ code: 'aborted' });
    await expect(gone).rejects.toMatchObject({ code: 'aborted' });
    source.releaseAll();
    await settle();
    source.releaseAll();
    expect((await second).type).toBe('texture');
    await blocker;
    const oakOffset = entryOffset(bundle, '//levels/forest:oak');
    expect(source.log.some((r) => r.offset === oakOffset)).toBe(false);
  });

  it('reports memory by type and estimates VRAM for a level without loading it', async () => {
    const bundle = await openBundle(memorySource(sample.tar));
    const expected = ['bark', 'leaves'].map((n) => sample.assets.find((a) => a.dep.label === `//levels/forest:${n}`)!.dep.outputs[0]!.meta.gpuBytes as number);
    expect(bundle.estimateGpuBytes()).toBe(expected[0]! + expected[1]!);
    expect(bundle.estimateGpuBytes((a) => a.label.endsWith(':bark'))).toBe(expected[0]);
    expect(bundle.metrics().memory.gpu).toBe(0);
    await bundle.load('//levels/forest:bark');
    await bundle.load('//levels/forest:level');
    const memory = bundle.metrics().memory;
    expect(memory.gpu).toBe(expected[0]);
    expect(memory.texture).toBeGreaterThan(0);
    expect(memory.other).toBeGreaterThan(0);
    expect(memory.total).toBe(memory.texture + memory.other);
  });

  it('keeps pinned assets under memory pressure and evicts the least recently used rest', async () => {
    const textures = [1, 2, 3].map((n) => texture(`//p:t${n}`, { size: 32, seed: n }));
    const three = await sampleBundle(textures);
    const bundle = await openBundle(memorySource(three.tar), { memory: { texture: 12_000 } });
    const cached = (n: number) => bundle.loader.cache.has(bundle.info(`//p:t${n}`)!.id);
    bundle.pin('//p:t1');
    await bundle.load('//p:t1');
    await bundle.load('//p:t2');
    await bundle.load('//p:t3'); // 3 × 5460 > 12 000: evict down to 90%
    expect([cached(1), cached(2), cached(3)]).toEqual([true, false, true]);
    expect(bundle.metrics().memory.texture).toBeLessThanOrEqual(12_000);
    expect(bundle.metrics().evictions).toBe(1);
    bundle.unpin('//p:t1');
    await bundle.load('//p:t2'); // 16 380 again: t1 (oldest) and t3 go to get under 10 800
    expect([cached(1), cached(2), cached(3)]).toEqual([false, true, false]);
  });

  it('decodes gzip entries with the platform DecompressionStream and uses injected decoders', async () => {
    const gz = await sampleBundle(undefined, { compression: 'gzip' });
    const level = gz.assets.find((a) => a.dep.label === '//levels/forest:level')!;
    const plain = await openBundle(memorySource(gz.tar));
    expect(plain.index.entries.find((e) => e.path.endsWith('level.json'))!.compression).toBe('gzip');
    expect((await plain.load<LoadedData>(level.dep.label)).value).toEqual(JSON.parse(new TextDecoder().decode(originalBytes(level))));
    const used: string[] = [];
    const { gunzipSync } = await import('node:zlib');
    const custom = await openBundle(memorySource(gz.tar), { decoders: { gzip: (b) => (used.push('gzip'), gunzipSync(b)) } });
    expect((await custom.load<LoadedData>(level.dep.label)).value).toMatchObject({ name: 'forest' });
    expect(used).toEqual(['gzip']);
    // a decoder that lies is caught by the raw digest
    const lying = await openBundle(memorySource(gz.tar), { decoders: { gzip: () => new TextEncoder().encode('{"name":"desert"}') } });
    await expect(lying.load(level.dep.label)).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('rejects unknown assets with not-found', async () => {
    const bundle = await openBundle(memorySource(sample.tar));
    await expect(bundle.load('//nope:x')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('bundle reader: integrity', () => {
  it('fails a load whose bytes do not match their digest, and never returns them', async () => {
    const bundle = await openBundle(memorySource(sample.tar));
    const asset = bundle.info('//levels/forest:bark')!;
    const entry = bundle.index.entries.find((e) => e.path === asset.entries[0])!;
    const broken = sample.tar.slice();
    broken[entry.offset + entry.parts[3]!.offset + 5]! ^= 0xff;
    const bad = await openBundle(memorySource(broken));
    await expect(bad.load('//levels/forest:bark')).rejects.toMatchObject({ code: 'corrupt' });
    const handle = bad.stream('//levels/forest:bark');
    await expect(handle.done).rejects.toMatchObject({ code: 'corrupt' });
    expect(handle.state).toBe('failed');
    expect(handle.partsLoaded).toBe(3);
    const partial = handle.current!;
    expect(partial.type === 'texture' && partial.mips.filter(Boolean).length).toBe(3);
  });

  it('refuses a truncated bundle at open time', async () => {
    await expect(openBundle(memorySource(sample.tar.subarray(0, sample.tar.byteLength - 3000)))).rejects.toMatchObject({ code: 'corrupt' });
    await expect(openBundle(memorySource(sample.tar.subarray(0, 700)))).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('refuses an index whose checksum does not match', async () => {
    const broken = sample.tar.slice();
    const text = new TextDecoder().decode(broken.subarray(512, 2048));
    const at = text.indexOf('"width":64');
    broken.set(new TextEncoder().encode('"width":65'), 512 + at);
    await expect(openBundle(memorySource(broken))).rejects.toThrow(/checksum/);
  });
});
