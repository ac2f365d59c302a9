/**
 * The local store through the CLI: entries and small blobs in the embedded store, large blobs as
 * files. A killed commit, two builds at once, damaged records, gc and an old file-per-entry cache
 * all leave builds correct (a clean build's bytes) and the store valid (every record verifies).
 */
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { digestKey, digestOf, parseDigestKey } from '../../src/hash/digest.js';
import { parseActionEntry } from '../../src/store/action-entry.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { SMALL_BLOB_LIMIT } from '../../src/store/lmdb-blob-store.js';
import { ageStoreRecords, forgetRequestGraph, storeRecords, writeStoreRecords } from '../support/local-store-records.js';
import { executedLabels, kiln } from '../support/run-kiln.js';
import { type TempWorkspace, tempWorkspace } from '../support/temp-workspace.js';
import { treeDifferences, treeDigests } from './support/file-tree.js';
import { spawnKiln } from './support/spawn-kiln.js';

const SMALL = 40;
const LARGE = 4;
const bigFile = (i: number, revision = 0) => Buffer.alloc(40 * 1024, `${i}:${revision};`);

function files(): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {};
  const lines = ['targets:'];
  for (let i = 0; i < SMALL; i++) {
    out[`pkgs/lvl/s${i}.json`] = JSON.stringify({ i });
    lines.push(`  s${i}: { rule: data, srcs: [s${i}.json] }`);
  }
  for (let i = 0; i < LARGE; i++) {
    out[`pkgs/lvl/big${i}.bin`] = bigFile(i);
    lines.push(`  big${i}: { rule: files, srcs: [big${i}.bin] }`);
  }
  out['pkgs/lvl/assets.yaml'] = `${lines.join('\n')}\n`;
  return out;
}

/** Every record of the store verifies: entries parse strictly, blobs match their digest. */
function expectValidStore(root: string): void {
  const cacheDir = join(root, '.kiln');
  const entries = storeRecords(cacheDir, 'ac');
  const blobs = storeRecords(cacheDir, 'cas');
  expect(entries.size).toBeGreaterThan(0);
  for (const [key, bytes] of entries) expect(parseActionEntry(bytes), `entry ${key}`).toBeDefined();
  for (const [key, bytes] of blobs) {
    expect(bytes.length).toBeLessThanOrEqual(SMALL_BLOB_LIMIT);
    expect(digestKey(digestOf(bytes)), `blob ${key}`).toBe(key);
  }
}

describe('the local store', () => {
  let reference: Map<string, string>;
  let ws: TempWorkspace;

  beforeAll(() => {
    const clean = tempWorkspace(files());
    const run = kiln(clean.root, ['build', '//...']);
    expect(run.code, run.stderr).toBe(0);
    reference = treeDigests(join(clean.root, 'kiln-out'));
    clean.cleanup();
  });
  beforeEach(() => {
    ws?.cleanup();
    ws = tempWorkspace(files());
  });
  afterAll(() => ws?.cleanup());

  const expectReference = (message: string) => expect(treeDifferences(reference, treeDigests(join(ws.root, 'kiln-out'))), message).toEqual([]);

  it('kill -9 mid-commit leaves a valid cache', () => {
    // A build that commits, then one that kills itself halfway through its write transaction.
    expect(kiln(ws.root, ['build', '//lvl:s0', '//lvl:s1', '//lvl:big0']).code).toBe(0);
    const before = storeRecords(join(ws.root, '.kiln'), 'ac');
    const killed = kiln(ws.root, ['build', '//...', '--jobs', '2'], { KILN_FAULT: 'kill-during-cache-commit' });
    expect(killed.code, killed.stderr).toBe(-1);
    // The first build's records are all there, the killed transaction left none of its own.
    expect([...storeRecords(join(ws.root, '.kiln'), 'ac').keys()].sort()).toEqual([...before.keys()].sort());
    expectValidStore(ws.root);
    const next = kiln(ws.root, ['build', '//...']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toBe('');
    expectReference('after the kill');
    expectValidStore(ws.root);
    expect(kiln(ws.root, ['build', '//...']).summary?.executed).toBe(0);
  });

  it('two builds on one cache at once both succeed', async () => {
    const runs = [spawnKiln(ws.root, ['build', '//...', '--jobs', '1']), spawnKiln(ws.root, ['build', '//...', '--jobs', '2'])];
    const results = await Promise.all(runs.map((r) => r.done));
    for (const [i, result] of results.entries()) {
      expect(result.code, `build ${i}:\n${result.stderr}`).toBe(0);
      expect(result.stderr).toBe('');
    }
    expectReference('after two builds at once');
    expectValidStore(ws.root);
    // Whichever build's writes landed last, the cache holds every result.
    forgetRequestGraph(join(ws.root, '.kiln'));
    rmSync(join(ws.root, 'kiln-out'), { recursive: true });
    const again = kiln(ws.root, ['build', '//...']);
    expect(again.summary?.executed).toBe(0);
    expectReference('from the cache alone');
  });

  it('a corrupted record is a miss and the target re-cooks', () => {
    expect(kiln(ws.root, ['build', '//...']).code).toBe(0);
    const cacheDir = join(ws.root, '.kiln');
    // Every entry cut short, the way a damaged disk would: each is a miss with one warning.
    const entries = storeRecords(cacheDir, 'ac');
    writeStoreRecords(cacheDir, 'ac', new Map([...entries].map(([key, bytes]) => [key, bytes.subarray(0, bytes.length - 2)])));
    forgetRequestGraph(cacheDir);
    rmSync(join(ws.root, 'kiln-out'), { recursive: true });
    const run = kiln(ws.root, ['build', '//...']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary?.executed).toBe(SMALL + LARGE);
    expect((run.stdout + run.stderr).match(/invalid entr/g)).toHaveLength(1);
    expectReference('after re-cooking');
    expectValidStore(ws.root);
  });

  it('gc evicts from both tiers but keeps the newest build', () => {
    expect(kiln(ws.root, ['build', '//...']).code).toBe(0);
    const cacheDir = join(ws.root, '.kiln');
    const outputOf = (run: ReturnType<typeof kiln>, label: string) => run.summary!.targets.find((t) => t.label === label)!.outputs[0]!.digest;
    const first = kiln(ws.root, ['build', '//lvl:s0', '//lvl:big0']);
    const oldSmall = outputOf(first, '//lvl:s0');
    const oldLarge = outputOf(first, '//lvl:big0');
    const largeFile = (key: string) => join(cacheDir, 'cas', key.slice(0, 2), key);
    expect(storeRecords(cacheDir, 'cas').has(oldSmall)).toBe(true);
    expect(statSync(largeFile(oldLarge)).isFile()).toBe(true);
    // Edit one small and one large source: their old outputs become garbage.
    ws.write('pkgs/lvl/s0.json', JSON.stringify({ i: 0, edited: true }));
    ws.write('pkgs/lvl/big0.bin', bigFile(0, 1));
    const edited = kiln(ws.root, ['build', '//...']);
    expect(executedLabels(edited)).toEqual(['//lvl:big0', '//lvl:s0']);
    const entriesBefore = storeRecords(cacheDir, 'ac').size;
    ageStoreRecords(cacheDir, 2 * 86_400_000);
    // Large blobs are files: their mtime is their use time.
    const old = new Date(Date.now() - 2 * 86_400_000);
    for (const shard of readdirSync(join(cacheDir, 'cas'))) for (const name of readdirSync(join(cacheDir, 'cas', shard))) utimesSync(join(cacheDir, 'cas', shard, name), old, old);
    const gc = kiln(ws.root, ['gc', '--max-age', '1d', '--grace', '0s']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stdout).toMatch(/removed [1-9]\d* of \d+ entries/);
    expect(storeRecords(cacheDir, 'cas').has(oldSmall)).toBe(false);
    expect(() => statSync(largeFile(oldLarge))).toThrow();
    expect(storeRecords(cacheDir, 'ac').size).toBeLessThan(entriesBefore);
    expect(statSync(largeFile(outputOf(edited, '//lvl:big0'))).isFile()).toBe(true);
    const noop = kiln(ws.root, ['build', '//...']);
    expect(noop.summary?.executed).toBe(0);
    // Not a no-op by luck of kiln-out: re-materializing reads every output from the store.
    rmSync(join(ws.root, 'kiln-out'), { recursive: true });
    expect(kiln(ws.root, ['build', '//...']).summary?.executed).toBe(0);
    expectValidStore(ws.root);
  });

  it('an old file-per-entry cache is still read', async () => {
    expect(kiln(ws.root, ['build', '//...']).code).toBe(0);
    // Rewrite the cache in the layout of earlier versions: every entry and blob a file, no store.
    const cacheDir = join(ws.root, '.kiln');
    const entries = storeRecords(cacheDir, 'ac');
    const blobs = storeRecords(cacheDir, 'cas');
    rmSync(join(cacheDir, 'state'), { recursive: true });
    const legacyEntries = new DiskActionCache(join(cacheDir, 'ac'));
    for (const [key, bytes] of entries) await legacyEntries.put(key, parseActionEntry(bytes)!);
    const legacyBlobs = new DiskBlobStore(join(cacheDir, 'cas'));
    for (const [key, bytes] of blobs) await legacyBlobs.put(bytes, parseDigestKey(key));
    rmSync(join(ws.root, 'kiln-out'), { recursive: true });
    const run = kiln(ws.root, ['build', '//...']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary?.executed).toBe(0);
    expectReference('from the old cache');
    // Entries read from the old layout were copied into the store.
    expect(storeRecords(cacheDir, 'ac').size).toBe(entries.size);
    // gc empties the old folders (nothing protects the old files once the store holds the entries) and removes them.
    const gc = kiln(ws.root, ['gc', '--max-size', '1', '--grace', '0s']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(existsSync(join(cacheDir, 'ac'))).toBe(false);
    rmSync(join(ws.root, 'kiln-out'), { recursive: true });
    expect(kiln(ws.root, ['build', '//...']).summary?.executed).toBe(0);
    expectReference('after gc of the old cache');
  });
});
