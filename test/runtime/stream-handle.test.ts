import { beforeAll, describe, expect, it } from 'vitest';
import { walkTar } from '../../src/bundle/tar-walk.js';
import { openBundle } from '../../src/runtime/bundle-reader.js';
import type { LoadedAsset, LoadedTexture } from '../../src/runtime/loaded-asset.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { mipPixels } from '../bundle/support/synthetic-assets.js';
import { driveUntil, FakeClock, settle } from './support/fake-clock.js';
import { GatedSource } from './support/gated-source.js';
import { sampleBundle, type SampleBundle } from './support/sample-bundle.js';

let sample: SampleBundle;
beforeAll(async () => {
  sample = await sampleBundle();
});

async function openGated(options: Parameters<typeof openBundle>[1] = {}) {
  const source = new GatedSource(sample.tar);
  source.open = true;
  const bundle = await openBundle(source, { clock: new FakeClock(), ...options });
  source.open = false;
  source.log.length = 0;
  return { source, bundle };
}

describe('stream handles', () => {
  it('deliver a texture smallest mip first, improving quality and loadedFraction at each step', async () => {
    const { source, bundle } = await openGated();
    const handle = bundle.stream('//levels/forest:bark');
    const seen: { base: number; fraction: number }[] = [];
    handle.on('part', (asset) => seen.push({ base: (asset as LoadedTexture).baseLevel, fraction: handle.loadedFraction }));
    let done: LoadedAsset | undefined;
    handle.on('done', (asset) => (done = asset));
    for (let i = 0; i < 7; i++) {
      await source.readIssued();
      await settle();
      expect(source.pending.length).toBe(1); // one part at a time
      source.releaseNext();
    }
    const final = (await handle.done) as LoadedTexture;
    expect(seen.map((s) => s.base)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    const fractions = seen.map((s) => s.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions[0]).toBeLessThan(0.01);
    expect(handle.loadedFraction).toBe(1);
    expect(done).toBe(final);
    expect(final.mips[0]!.bytes).toEqual(mipPixels(64, 0, 1));
    expect(handle.state).toBe('done');
    // afterwards the asset is in memory: a load costs no read
    const reads = source.log.length;
    await bundle.load('//levels/forest:bark');
    expect(source.log.length).toBe(reads);
  });

  it('streams models coarsest LOD first and audio chunks in order', async () => {
    const bundle = await openBundle(memorySource(sample.tar));
    const lods: number[] = [];
    const oak = bundle.stream('//levels/forest:oak');
    oak.on('part', (_, part) => lods.push(part!.index));
    await oak.done;
    expect(lods).toEqual([2, 1, 0]);
    const duckLods: number[] = [];
    const duck = bundle.stream('//levels/forest:duck');
    duck.on('part', (asset) => duckLods.push(asset.type === 'model' ? asset.bestLod : -1));
    const duckDone = await duck.done;
    expect(duckLods).toEqual([2, 1, 0]);
    expect(duckDone.type === 'model' && duckDone.lods.length).toBe(3);
    const chunks: number[] = [];
    const wind = bundle.stream('//levels/forest:wind');
    wind.on('part', (asset) => chunks.push(asset.type === 'audio' ? asset.playableChunks : -1));
    await wind.done;
    expect(chunks).toEqual([1, 2, 3, 4]);
  });

  it('stops reading when cancelled and keeps what arrived', async () => {
    const { source, bundle } = await openGated();
    const handle = bundle.stream('//levels/forest:bark');
    await source.readIssued();
    source.releaseNext();
    await source.readIssued();
    source.releaseNext();
    await source.readIssued(); // the second part arrived and was checked: the third is asked for
    handle.cancel();
    await expect(handle.done).rejects.toMatchObject({ code: 'aborted' });
    await settle();
    expect(source.pending.length).toBe(0);
    expect(handle.state).toBe('cancelled');
    expect(handle.partsLoaded).toBe(2);
    expect((handle.current as LoadedTexture).baseLevel).toBe(5);
    const reads = source.log.length;
    await settle();
    expect(source.log.length).toBe(reads);
  });

  it('lets other loads go first once lowered', async () => {
    const { source, bundle } = await openGated({ maxConcurrentReads: 1 });
    const handle = bundle.stream('//levels/forest:bark', { priority: 'high' });
    await source.readIssued();
    source.releaseNext(); // mip 6 arrives; the next part is queued behind…
    handle.setPriority('on_demand');
    const level = bundle.load('//levels/forest:level', { priority: 'low' });
    await source.readIssued();
    source.releaseNext(); // …the low-priority load, which now comes first
    await level;
    const levelEntry = bundle.index.entries.find((e) => e.path.endsWith('level.json'))!;
    expect(source.log[1]!.offset).toBe(levelEntry.offset);
    source.open = true;
    source.releaseAll();
    await handle.done;
  });

  it('honours the caller signal', async () => {
    const { source, bundle } = await openGated();
    const controller = new AbortController();
    const handle = bundle.stream('//levels/forest:bark', { signal: controller.signal });
    controller.abort();
    await expect(handle.done).rejects.toMatchObject({ code: 'aborted' });
    await settle();
    expect(source.pending.length).toBe(0);
  });

  it('respects the bandwidth limit across parts', async () => {
    const clock = new FakeClock();
    const bundle = await driveUntil(clock, openBundle(memorySource(sample.tar), { clock, bandwidth: 4096 }));
    const opened = clock.now();
    const handle = bundle.stream('//levels/forest:bark');
    const times: number[] = [];
    handle.on('part', () => times.push(clock.now()));
    await driveUntil(clock, handle.done, 10);
    // mip bytes: 4, 16, 64, 256, 1024, 4096, 16384 → the last part may start only after
    // (4+16+64+256+1024+4096) / 4096 s ≈ 1.33 s, and so on
    const mipBytes = [4, 16, 64, 256, 1024, 4096, 16384];
    let before = 0;
    for (let i = 0; i < 7; i++) {
      // part i may start only once every earlier byte (index included) had its time at 4096 B/s
      expect(times[i]! - opened).toBeGreaterThanOrEqual((before / 4096) * 1000 - 0.001);
      before += mipBytes[i]!;
    }
    // …and no later than the index read's own reservation plus those bytes
    const indexBytes = walkTar(sample.tar)[0]!.size;
    expect(times[6]! - opened).toBeLessThan(((indexBytes + before - 16384) / 4096) * 1000 + 50);
  });
});
