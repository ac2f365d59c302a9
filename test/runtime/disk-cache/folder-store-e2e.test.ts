/**
 * The disk cache in Node with the folder store, end to end: a level cooked by the real CLI, served
 * over HTTP by a server that counts bytes. A returning player downloads nothing; a content update
 * downloads the changed texture only; an offline start loads what is cached; a corrupt record is
 * re-fetched; a cache writer killed with SIGKILL leaves a cache the next run repairs; a full disk
 * never fails a load.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoader } from '../../../src/runtime/asset-loader.js';
import { openCatalog, type CatalogReader } from '../../../src/runtime/catalog-reader.js';
import { DiskCache } from '../../../src/runtime/disk-cache/disk-cache.js';
import type { DiskStore } from '../../../src/runtime/disk-cache/disk-store.js';
import { folderStore } from '../../../src/runtime/disk-cache/folder-store.js';
import { httpSource } from '../../../src/runtime/http-source.js';
import type { LoadedAsset } from '../../../src/runtime/loaded-asset.js';
import { RuntimeError } from '../../../src/runtime/runtime-error.js';
import { CountingServer } from './support/counting-server.js';
import { cliBuilt, label, smallLevel, type SmallLevel } from './support/small-level.js';

const built = await cliBuilt();
if (!built) console.warn('[disk-cache e2e] skipping: dist/src/cli/main.js is missing (npm run build cooks the test level)');

const CATALOG = '/level/bundle.catalog.json';
const isTar = (path: string) => path.endsWith('.tar');

let tmp: string;
let level: SmallLevel;
let server: CountingServer;

beforeAll(async () => {
  if (!built) return;
  tmp = await mkdtemp(join(tmpdir(), 'kiln-diskcache-'));
  level = await smallLevel(tmp);
  server = new CountingServer(level.out);
  await server.start();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let folders = 0;
const freshFolder = () => join(tmp, `cache-${folders++}`);

/** What a game got: every asset's type, size and a hash of all its bytes (cheap to compare, unlike the arrays). */
function fingerprint(assets: Map<string, LoadedAsset>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, asset] of [...assets].sort(([a], [b]) => a.localeCompare(b))) {
    const h = createHash('sha256');
    if (asset.type === 'texture') for (const mip of asset.mips) h.update(mip?.bytes ?? new Uint8Array(0));
    else h.update(JSON.stringify(asset, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)));
    out[name] = `${asset.type}:${h.digest('hex')}`;
  }
  return out;
}

/** One game start: a fresh loader over the cache folder; streams every texture, loads the rest. */
async function play(dir: string, store: DiskStore = folderStore(dir)): Promise<{ catalog: CatalogReader; assets: Record<string, string>; disk: DiskCache }> {
  const disk = new DiskCache({ store });
  const catalog = await openCatalog(httpSource(server.url + CATALOG), { loader: createLoader({ diskCache: disk }) });
  const assets = new Map<string, LoadedAsset>();
  await Promise.all(
    catalog.assets().map(async (a) => {
      assets.set(a.label, a.type === 'texture' ? await catalog.stream(a.label).done : await catalog.load(a.label));
    }),
  );
  await disk.flush();
  return { catalog, assets: fingerprint(assets), disk };
}

describe.skipIf(!built)('disk cache with the folder store over HTTP', () => {
  it('downloads 0 bundle bytes when the player starts the level again', async () => {
    const dir = freshFolder();
    const mark = server.log.length;
    const first = await play(dir);
    const firstBytes = server.bytes(isTar, mark);
    const indexBlock = (await first.catalog.bundleOf(label('layout'))).index.entries[0]!.offset;
    expect(firstBytes).toBeGreaterThan(1_000_000);
    const again = server.log.length;
    const second = await play(dir);
    expect(server.bytes(isTar, again)).toBe(0);
    expect(second.assets).toEqual(first.assets);
    const m = second.catalog.metrics().disk!;
    expect(m.misses).toBe(0);
    // everything but the index block, which comes from its own record
    expect(m.bytesSaved).toBeGreaterThanOrEqual(firstBytes - indexBlock);
  });

  it('fetches a texture missing from the cache in one range request, and keeps it part by part', async () => {
    const dir = freshFolder();
    const disk = new DiskCache({ store: folderStore(dir) });
    const catalog = await openCatalog(httpSource(server.url + CATALOG), { loader: createLoader({ diskCache: disk }) });
    await catalog.bundleOf(label('wall'));
    const mark = server.log.length;
    await catalog.load(label('wall'));
    await disk.flush();
    const requests = server.log.slice(mark).filter((r) => isTar(r.path));
    expect(requests.length).toBe(1);
    const entry = (await catalog.bundleOf(label('wall'))).index.entries.find((e) => e.asset === catalog.info(label('wall'))!.id)!;
    expect(requests[0]!.bytes).toBe(entry.size);
    expect((await readdir(dir)).filter((f) => f.startsWith('c-')).length).toBe(new Set(entry.parts.map((p) => p.hash)).size);
  });

  it('detects a corrupted record on disk and fetches just that record again', async () => {
    const dir = freshFolder();
    const first = await play(dir);
    const records = (await readdir(dir)).filter((f) => f.startsWith('c-'));
    const victim = records.find((f) => f.endsWith('-65536'))!;
    const bytes = await readFile(join(dir, victim));
    bytes[100]! ^= 0x5a;
    await writeFile(join(dir, victim), bytes);
    const mark = server.log.length;
    const second = await play(dir);
    expect(second.assets).toEqual(first.assets);
    expect(second.catalog.metrics().disk!.corruptDropped).toBe(1);
    expect(server.bytes(isTar, mark)).toBe(65536);
    // repaired: a third start is served entirely from the cache again
    const third = server.log.length;
    await play(dir);
    expect(server.bytes(isTar, third)).toBe(0);
  });

  it('still loads the cached level with the server stopped, and says offline for the rest', async () => {
    const dir = freshFolder();
    const first = await play(dir);
    // a second cache that holds the layout only
    const partial = freshFolder();
    const disk = new DiskCache({ store: folderStore(partial) });
    const catalog = await openCatalog(httpSource(server.url + CATALOG), { loader: createLoader({ diskCache: disk }) });
    await catalog.load(label('layout'));
    await disk.flush();

    await server.stop();
    try {
      const offline = await play(dir);
      expect(offline.assets).toEqual(first.assets);
      const disk2 = new DiskCache({ store: folderStore(partial) });
      const catalog2 = await openCatalog(httpSource(server.url + CATALOG), { loader: createLoader({ diskCache: disk2 }) });
      expect(fingerprint(new Map([[label('layout'), await catalog2.load(label('layout'))]]))).toEqual({ [label('layout')]: first.assets[label('layout')] });
      const error = await catalog2.load(label('sky')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as RuntimeError).code).toBe('offline');
      const never = await openCatalog(httpSource(server.url + CATALOG), { loader: createLoader({ diskCache: new DiskCache({ store: folderStore(freshFolder()) }) }) }).catch((e: unknown) => e);
      expect((never as RuntimeError).code).toBe('offline');
    } finally {
      await server.start();
    }
  });

  it('repairs the cache after a writer is killed with SIGKILL mid-write', async () => {
    const dir = freshFolder();
    const child = spawn(process.execPath, [join(import.meta.dirname, 'support/write-loop.mjs'), server.url + CATALOG, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', () => ok());
      child.once('exit', (code) => fail(new Error(`writer exited early (${code})`)));
    });
    // kill once a round is part-way: some records complete, one still being written
    let files: string[] = [];
    for (let i = 0; i < 3000; i++) {
      files = await readdir(dir).catch(() => [] as string[]);
      if (files.some((f) => f.startsWith('.tmp-')) && files.filter((f) => f.startsWith('c-')).length >= 3) break;
      await new Promise((ok) => setImmediate(ok));
    }
    child.kill('SIGKILL');
    await new Promise((ok) => child.once('exit', ok));
    const left = await readdir(dir);
    // and a record torn the way only a power cut on a non-journalled disk could tear it
    const torn = left.filter((f) => f.startsWith('c-')).sort()[0];
    if (torn) await writeFile(join(dir, torn), (await readFile(join(dir, torn))).subarray(0, 1));

    const mark = server.log.length;
    const fresh = await play(freshFolder());
    const repaired = await play(dir);
    expect(repaired.assets).toEqual(fresh.assets);
    expect(repaired.catalog.metrics().disk!.corruptDropped).toBe(torn ? 1 : 0);
    expect((await readdir(dir)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    // whatever complete records the killed writer left were re-used, the rest fetched
    const reused = left.filter((f) => f.startsWith('c-')).length - (torn ? 1 : 0);
    expect(repaired.catalog.metrics().disk!.hits).toBeGreaterThanOrEqual(reused);
    const again = server.log.length;
    await play(dir);
    expect(server.bytes(isTar, again)).toBe(0);
    console.log(`[disk-cache e2e] killed writer left ${left.length} files (${left.filter((f) => f.startsWith('.tmp-')).length} unfinished); next run re-used ${reused} records`);
    expect(server.bytes(isTar, mark)).toBeGreaterThan(0);
  });

  it('never fails a load when the disk is full', async () => {
    const mount = join(tmp, 'tiny');
    await mkdir(mount, { recursive: true });
    let tmpfs = false;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount], { stdio: 'ignore' });
      tmpfs = true;
    } catch {
      console.warn('[disk-cache e2e] cannot mount a tmpfs here (not root?): simulating the full disk with ENOSPC writes');
    }
    try {
      const real = folderStore(mount);
      // no quota estimate, so writes really run into the full disk instead of being skipped politely
      const store: DiskStore = tmpfs
        ? { ...real, estimate: undefined }
        : { ...real, estimate: undefined, put: async () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) };
      const reference = await play(freshFolder());
      const full = await play(mount, store);
      expect(full.assets).toEqual(reference.assets);
      const m = full.catalog.metrics().disk!;
      expect(m.writeFailures).toBeGreaterThan(0);
      expect((await readdir(mount)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
      // what did fit is intact and used next time
      const again = await play(mount, store);
      expect(again.assets).toEqual(reference.assets);
      expect(again.catalog.metrics().disk!.corruptDropped).toBe(0);
    } finally {
      if (tmpfs) execFileSync('umount', [mount]);
    }
  });

  it('after a content update that changes one texture, downloads that texture only', async () => {
    const dir = freshFolder();
    const before = await play(dir);
    const oldWall = before.catalog.info(label('wall'))!;
    await level.update('wall', 42);
    const mark = server.log.length;
    const after = await play(dir);
    const wall = after.catalog.info(label('wall'))!;
    expect(wall.digest).not.toEqual(oldWall.digest);
    for (const name of ['ground', 'sky', 'layout']) expect(after.assets[label(name)]).toBe(before.assets[label(name)]);
    expect(after.assets[label('wall')]).not.toBe(before.assets[label('wall')]);
    const tarBytes = server.bytes(isTar, mark);
    const index = (await after.catalog.bundleOf(label('wall'))).index.entries[0]!.offset;
    // the new index block and the wall's changed parts; the KTX2 header of the same-sized wall is unchanged
    expect(tarBytes).toBeGreaterThan(wall.size - 1000);
    expect(tarBytes).toBeLessThanOrEqual(wall.size + index);
    console.log(`[disk-cache e2e] content update: ${tarBytes} bundle bytes downloaded (wall entry ${wall.size}, index block ${index})`);
  }, 60_000);
});
