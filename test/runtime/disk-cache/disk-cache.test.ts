/**
 * The disk cache tier on a synthetic forest level (packed by the real bundle rule) served by a
 * counting in-memory host: what a returning player downloads, verification of every record,
 * offline starts, resumed streams, budgets and failed writes.
 */
import { describe, expect, it } from 'vitest';
import { createLoader } from '../../../src/runtime/asset-loader.js';
import { openCatalog, type CatalogReader } from '../../../src/runtime/catalog-reader.js';
import { contentKey, indexKey } from '../../../src/runtime/disk-cache/cache-key.js';
import { entryDigests } from '../../../src/runtime/disk-cache/cached-read.js';
import { DiskCache } from '../../../src/runtime/disk-cache/disk-cache.js';
import type { DiskStore } from '../../../src/runtime/disk-cache/disk-store.js';
import { memoryStore, type MemoryStore } from '../../../src/runtime/disk-cache/memory-store.js';
import { downloadSize, prefetch, type PrefetchProgress } from '../../../src/runtime/disk-cache/prefetch.js';
import type { LoadedData, LoadedTexture } from '../../../src/runtime/loaded-asset.js';
import { RuntimeError } from '../../../src/runtime/runtime-error.js';
import { forestLevel, texture } from '../../bundle/support/synthetic-assets.js';
import { sampleBundle } from '../support/sample-bundle.js';
import { CountingHost, isTar } from './support/counting-host.js';

const CATALOG = 'bundle.catalog.json';
const BARK = '//levels/forest:bark';

async function forestHost(assets = forestLevel()): Promise<CountingHost> {
  return new CountingHost((await sampleBundle(assets)).files);
}

/** One game start: a fresh loader (empty memory cache) over the same persistent store. */
async function start(host: CountingHost, store: DiskStore, options: { budget?: number } = {}): Promise<{ catalog: CatalogReader; disk: DiskCache }> {
  const disk = new DiskCache({ store, ...options });
  const catalog = await openCatalog(host.source(CATALOG), { loader: createLoader({ diskCache: disk }) });
  return { catalog, disk };
}

async function loadAll(catalog: CatalogReader): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const asset of catalog.assets()) out.set(asset.label, await catalog.load(asset.label));
  return out;
}

function flip(store: MemoryStore, predicate: (key: string) => boolean, change: (bytes: Uint8Array) => Uint8Array): string {
  const key = [...store.records.keys()].find(predicate)!;
  const record = store.records.get(key)!;
  record.bytes = change(record.bytes);
  return key;
}

describe('disk cache', () => {
  it('downloads no bundle bytes when a returning player loads the same level', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const first = await start(host, store);
    const loaded = await loadAll(first.catalog);
    await first.disk.flush();
    const firstBytes = host.bytes(isTar);
    expect(firstBytes).toBeGreaterThan(0);
    expect(first.disk.metrics().bytesStored).toBeGreaterThan(0);

    host.reset();
    const second = await start(host, store);
    const again = await loadAll(second.catalog);
    expect(host.bytes(isTar)).toBe(0);
    expect(again).toEqual(loaded);
    const m = second.catalog.metrics().disk!;
    expect(m.misses).toBe(0);
    expect(m.bytesSaved).toBeGreaterThan(0);
    expect(m.hits).toBeGreaterThan(0);
  });

  it('after a content update that changes one texture, downloads only that texture', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const first = await start(host, store);
    await loadAll(first.catalog);
    await first.disk.flush();

    const updated = forestLevel().map((a) => (a.dep.label === BARK ? texture(BARK, { size: 64, priority: 'high', seed: 99 }) : a));
    host.files = (await sampleBundle(updated)).files;
    host.reset();
    const second = await start(host, store);
    const bark = second.catalog.info(BARK)!;
    await loadAll(second.catalog);
    // the new index block (the bundle's digest changed) plus the new bark entry, nothing else
    const index = (await second.catalog.bundleOf(BARK)).index.entries[0]!.offset;
    const barkBytes = bark.size;
    expect(host.bytes(isTar)).toBeGreaterThan(barkBytes);
    expect(host.bytes(isTar)).toBeLessThanOrEqual(barkBytes + index);
    expect(second.catalog.metrics().disk!.misses).toBe(entryDigests((await second.catalog.bundleOf(BARK)).index.entries.find((e) => e.asset === bark.id)!).length);
    await second.disk.flush();

    // offline afterwards, the player gets the updated level, not the one before it
    const updatedBark = await second.catalog.load<LoadedTexture>(BARK);
    host.offline = true;
    const third = await start(host, store);
    expect(third.catalog.info(BARK)!.digest).toEqual(bark.digest);
    expect(await third.catalog.load<LoadedTexture>(BARK)).toEqual(updatedBark);
  });

  it('drops a corrupt or truncated record and fetches it again', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const first = await start(host, store);
    const level = await first.catalog.load<LoadedData>('//levels/forest:level');
    const bark = await first.catalog.load<LoadedTexture>(BARK);
    await first.disk.flush();

    flip(store, (k) => k.startsWith('c-') && store.records.get(k)!.bytes.byteLength > 1000, (b) => b.subarray(0, b.byteLength - 7));
    const flipped = flip(store, (k) => k.startsWith('c-'), (b) => {
      const copy = b.slice();
      copy[copy.byteLength >> 1]! ^= 0xff;
      return copy;
    });
    host.reset();
    const second = await start(host, store);
    expect(await second.catalog.load<LoadedData>('//levels/forest:level')).toEqual(level);
    expect(await second.catalog.load<LoadedTexture>(BARK)).toEqual(bark);
    await loadAll(second.catalog);
    const m = second.catalog.metrics().disk!;
    expect(m.corruptDropped).toBe(2);
    expect(host.bytes(isTar)).toBeGreaterThan(0);
    await second.disk.flush();
    // re-fetched bytes replaced the bad record
    expect(store.records.has(flipped)).toBe(true);
    host.reset();
    const third = await start(host, store);
    await loadAll(third.catalog);
    expect(host.bytes(isTar)).toBe(0);
    expect(third.catalog.metrics().disk!.corruptDropped).toBe(0);
  });

  it('never reads in a record larger than its digest says, and replaces it', async () => {
    const store = memoryStore();
    const host = await forestHost();
    const first = await start(host, store);
    const level = await first.catalog.load<LoadedData>('//levels/forest:level');
    await first.disk.flush();
    const key = flip(store, (k) => k.startsWith('c-'), (b) => {
      const longer = new Uint8Array(b.byteLength + 1000);
      longer.set(b);
      return longer;
    });
    const sizes: number[] = [];
    const watched: DiskStore = { ...store, get: (k, max) => (sizes.push(max), store.get(k, max)) };
    const second = await start(host, watched);
    expect(await second.catalog.load<LoadedData>('//levels/forest:level')).toEqual(level);
    await second.disk.flush();
    expect(sizes.every((s) => s < 1 << 30)).toBe(true);
    expect(second.disk.metrics().misses).toBe(1);
    expect(store.records.get(key)!.bytes.byteLength).toBe(Number(key.split('-').pop()));
  });

  it('loads the cached level offline and says offline for what is not cached', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const first = await start(host, store);
    const level = await first.catalog.load<LoadedData>('//levels/forest:level');
    await first.catalog.load(BARK);
    await first.disk.flush();

    host.offline = true;
    const second = await start(host, store);
    expect(await second.catalog.load<LoadedData>('//levels/forest:level')).toEqual(level);
    expect((await second.catalog.load<LoadedTexture>(BARK)).mips.every((m) => m !== undefined)).toBe(true);
    const missing = await second.catalog.load('//levels/forest:wind').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RuntimeError);
    expect((missing as RuntimeError).code).toBe('offline');

    const empty = await start(host, memoryStore()).catch((e: unknown) => e);
    expect((empty as RuntimeError).code).toBe('offline');
  });

  it('resumes a stream cut short from the parts it already cached', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const first = await start(host, store);
    const controller = new AbortController();
    const handle = first.catalog.stream(BARK, { signal: controller.signal });
    let parts = 0;
    handle.on('part', () => {
      if (++parts === 3) controller.abort();
    });
    await handle.done.catch(() => undefined);
    await first.disk.flush();
    const cachedParts = [...store.records.keys()].filter((k) => k.startsWith('c-')).length;
    expect(cachedParts).toBeGreaterThanOrEqual(3);

    host.reset();
    const second = await start(host, store);
    const bark = (await second.catalog.stream(BARK).done) as LoadedTexture;
    const entry = (await second.catalog.bundleOf(BARK)).index.entries.find((e) => e.asset === bark.id)!;
    const m = second.catalog.metrics().disk!;
    expect(m.hits).toBe(cachedParts);
    expect(m.misses).toBe(entry.parts.length - cachedParts);
    expect(host.bytes(isTar)).toBe(entry.parts.slice(cachedParts).reduce((n, p) => n + p.size, 0));
  });

  it('never fails a load because the store cannot write (a full disk)', async () => {
    const host = await forestHost();
    const full: DiskStore = {
      ...memoryStore(),
      async put() {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    const { catalog } = await start(host, full);
    const loaded = await loadAll(catalog);
    await catalog.loader.diskCache!.flush();
    expect(loaded.size).toBe(catalog.assets().length);
    const m = catalog.metrics().disk!;
    expect(m.writeFailures).toBeGreaterThan(0);
    expect(m.bytesStored).toBe(0);
  });

  it('keeps to its budget, evicting unreferenced records first and never critical ones', async () => {
    const host = await forestHost();
    const warm = await start(host, memoryStore());
    await loadAll(warm.catalog);
    await warm.disk.flush();
    const budget = warm.disk.metrics().usedBytes - 5000;
    const tight = await start(host, memoryStore(), { budget: budget + 0 });
    // everything but the big texture first, then the texture: it only fits if others go
    for (const asset of tight.catalog.assets()) if (asset.label !== BARK) await tight.catalog.load(asset.label);
    await tight.disk.flush();
    await tight.catalog.load(BARK);
    await tight.disk.flush();
    const m = tight.disk.metrics();
    expect(m.usedBytes).toBeLessThanOrEqual(budget);
    expect(m.evictions).toBeGreaterThan(0);
    expect(m.writesSkipped).toBe(0);
    const bark = tight.catalog.info(BARK)!;
    expect(await tight.disk.has(bark.digest)).toBe(true);
    // the critical level data (kept under its stored, compressed digest) survived
    const levelEntry = (await tight.catalog.bundleOf('//levels/forest:level')).index.entries.find((e) => e.asset === tight.catalog.info('//levels/forest:level')!.id)!;
    expect(await tight.disk.has(levelEntry.stored)).toBe(true);
  });

  it('after a content update, evicts what the new catalog no longer references before anything it does', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const first = await start(host, store);
    await loadAll(first.catalog);
    await first.disk.flush();
    const used = first.disk.metrics().usedBytes;
    const oldKeys = new Set(store.records.keys());
    const oldBundle = await first.catalog.bundleOf(BARK);
    const oldBark = oldBundle.index.entries.find((e) => e.asset === first.catalog.info(BARK)!.id)!;
    const stale = new Set([indexKey(first.catalog.catalog.bundles[0]!.digest), ...entryDigests(oldBark).map(contentKey)]);
    // the stale records were the most recently used: plain LRU would evict the others first
    for (const [key, record] of store.records) record.usedAt = stale.has(key) ? 2e12 : 1e12;

    const updated = forestLevel().map((a) => (a.dep.label === BARK ? texture(BARK, { size: 64, priority: 'high', seed: 7 }) : a));
    host.files = (await sampleBundle(updated)).files;
    const second = await start(host, store, { budget: used + 2000 });
    await loadAll(second.catalog);
    await second.disk.flush();
    const m = second.disk.metrics();
    expect(m.evictions).toBeGreaterThan(0);
    expect(m.usedBytes).toBeLessThanOrEqual(used + 2000);
    // every record the updated level uses is there: nothing it references was evicted
    const third = await start(host, store, { budget: used + 2000 });
    host.reset();
    await loadAll(third.catalog);
    expect(host.bytes(isTar)).toBe(0);
    // what went was the old bark and the old bundle's index block
    const gone = [...oldKeys].filter((k) => !store.records.has(k));
    expect(gone.length).toBe(m.evictions);
    expect(gone.every((k) => stale.has(k))).toBe(true);
  });

  it('evicts a record no catalog references before a referenced one, whatever their age', async () => {
    const store = memoryStore();
    const disk = new DiskCache({ store, budget: 3000 });
    const a = { hash: 'aaaaaaaaaaaaaaaa', size: 1000 };
    const b = { hash: 'bbbbbbbbbbbbbbbb', size: 1000 };
    store.records.set('c-aaaaaaaaaaaaaaaa-1000', { bytes: new Uint8Array(1000), usedAt: 1 });
    store.records.set('c-bbbbbbbbbbbbbbbb-1000', { bytes: new Uint8Array(1000), usedAt: 2 });
    disk.reference('catalog', ['c-aaaaaaaaaaaaaaaa-1000']);
    expect(await disk.putRecord('c-cccccccccccccccc-1500', new Uint8Array(1500))).toBe(true);
    expect(await disk.has(a)).toBe(true);
    expect(await disk.has(b)).toBe(false);
    expect(disk.metrics()).toMatchObject({ evictions: 1, usedBytes: 2500 });
    // pinned (through the loader's memory-cache pins) and critical records stay even when that means not storing
    disk.describeAsset('asset-a', ['c-aaaaaaaaaaaaaaaa-1000']);
    disk.attachPins((id) => id === 'asset-a');
    disk.reference('catalog', [], ['c-cccccccccccccccc-1500']);
    expect(await disk.putRecord('c-dddddddddddddddd-1000', new Uint8Array(1000))).toBe(false);
    expect(disk.metrics()).toMatchObject({ writesSkipped: 1, usedBytes: 2500 });
  });

  it('skips background writes rather than queue more than maxPendingBytes behind a slow store', async () => {
    const store = memoryStore();
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const slow: DiskStore = { ...store, put: async (k, b, t) => (await gate, store.put(k, b, t)) };
    const disk = new DiskCache({ store: slow, maxPendingBytes: 2500 });
    await disk.ready();
    for (const h of ['a', 'b', 'c']) disk.putInBackground({ hash: h.repeat(16), size: 1000 }, new Uint8Array(1000));
    expect(disk.metrics().writesSkipped).toBe(1);
    release();
    await disk.flush();
    expect(disk.metrics()).toMatchObject({ entries: 2, bytesStored: 2000 });
    disk.putInBackground({ hash: 'd'.repeat(16), size: 1000 }, new Uint8Array(1000));
    await disk.flush();
    expect(disk.metrics().entries).toBe(3);
  });

  it('respects the host quota and asks for persistence when the game opts in', async () => {
    const store: DiskStore = { ...memoryStore(), estimate: async () => ({ usage: 9000, quota: 10_000 }), persist: async () => true };
    const disk = new DiskCache({ store, budget: 1 << 20, persist: true, quotaShare: 1 });
    await disk.ready();
    expect(disk.metrics()).toMatchObject({ budget: 1000, persisted: true });
    expect(await disk.putRecord('c-aaaaaaaaaaaaaaaa-2000', new Uint8Array(2000))).toBe(false);
  });

  it('prefetches a label with everything it depends on, with progress, so it later loads offline', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const { catalog } = await start(host, store);
    const oak = catalog.info('//levels/forest:oak')!;
    expect(oak.deps.length).toBeGreaterThan(0);
    const before = await downloadSize(catalog, [oak.label]);
    expect(before).toBeGreaterThan(0);
    const seen: PrefetchProgress[] = [];
    host.reset();
    const done = await prefetch(catalog, [oak.label], { onProgress: (p) => seen.push(p) });
    expect(done).toMatchObject({ fraction: 1, downloadedBytes: before, unstoredBytes: 0 });
    expect(done.totalBytes).toBe(before);
    expect(seen.map((p) => p.doneBytes)).toEqual([...seen.map((p) => p.doneBytes)].sort((a, b) => a - b));
    expect(seen.at(-1)!.fraction).toBe(1);
    expect(host.bytes(isTar)).toBe(before);
    expect(await downloadSize(catalog, [oak.label])).toBe(0);
    // a second prefetch finds everything cached and downloads nothing
    host.reset();
    expect(await prefetch(catalog, [oak.label])).toMatchObject({ downloadedBytes: 0, fraction: 1 });
    expect(host.bytes(isTar)).toBe(0);

    host.offline = true;
    const offline = await start(host, store);
    for (const label of [oak.label, ...oak.deps.map((d) => offline.catalog.info(d)!.label)]) await offline.catalog.load(label);
    expect((await offline.catalog.load('//levels/forest:wind').catch((e: unknown) => e)) as RuntimeError).toMatchObject({ code: 'offline' });
  });

  it('prefetches a whole bundle by its target label', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const { catalog } = await start(host, store);
    const target = catalog.catalog.bundles[0]!.target;
    const result = await prefetch(catalog, { bundle: target });
    expect(result.fraction).toBe(1);
    expect(await downloadSize(catalog, { bundle: target })).toBe(0);
    host.reset();
    host.offline = true;
    const offline = await start(host, store);
    expect((await loadAll(offline.catalog)).size).toBe(offline.catalog.assets().length);
    expect(host.bytes(isTar)).toBe(0);
    await expect(prefetch(catalog, { bundle: '//nowhere:bundle' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('clears everything it stored', async () => {
    const host = await forestHost();
    const store = memoryStore();
    const { catalog, disk } = await start(host, store);
    await loadAll(catalog);
    await disk.clear();
    expect(store.records.size).toBe(0);
    expect(disk.metrics()).toMatchObject({ entries: 0, usedBytes: 0 });
  });
});
