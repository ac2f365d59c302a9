/**
 * `kiln gc` through the CLI: eviction by size and by age never removes what the newest build of
 * each target (on each platform) needs, so the next no-op build still executes nothing; and a GC
 * running beside a build does not break it.
 */
import { cpSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageStoreRecords, forgetRequestGraph, storeRecords, writeStoreRecords } from '../support/local-store-records.js';
import { executedLabels, kiln } from '../support/run-kiln.js';
import { treeDifferences, treeDigests } from './support/file-tree.js';
import { type GeneratedWorkspace, generateWorkspace, noisePng } from './support/generated-workspace.js';
import { sleep, spawnKiln } from './support/spawn-kiln.js';

/**
 * Everything in both tiers of the local cache: `cas/<digest key>` and `ac/<action key>` → size,
 * for files (large blobs) and records of the embedded store (entries, small blobs) alike.
 */
function cacheFiles(root: string): Map<string, number> {
  const out = new Map<string, number>();
  const dir = join(root, '.kiln', 'cas');
  for (const shard of readdirSync(dir)) for (const name of readdirSync(join(dir, shard))) out.set(`cas/${name}`, statSync(join(dir, shard, name)).size);
  for (const area of ['cas', 'ac'] as const) for (const [key, bytes] of storeRecords(join(root, '.kiln'), area)) out.set(`${area}/${key}`, bytes.byteLength);
  return out;
}

/** Make every cache entry look last used `ms` ago. */
function ageCache(root: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  const dir = join(root, '.kiln', 'cas');
  for (const shard of readdirSync(dir)) for (const name of readdirSync(join(dir, shard))) utimesSync(join(dir, shard, name), then, then);
  ageStoreRecords(join(root, '.kiln'), ms);
}

const DAY = 24 * 3600 * 1000;

describe('kiln gc', () => {
  let ws: GeneratedWorkspace;
  let reference: Map<string, string>;

  beforeAll(async () => {
    ws = await generateWorkspace({ levels: 3, textures: 4, bc7: 0, size: 128, prefix: 'kiln-gc-' });
    const clean = `${ws.root}-clean`;
    cpSync(ws.root, clean, { recursive: true });
    expect(kiln(clean, ['build', '//...']).code).toBe(0);
    reference = treeDigests(join(clean, 'kiln-out'));
    rmSync(clean, { recursive: true, force: true });
  });
  afterAll(() => ws?.cleanup());

  it('--max-age evicts entries of superseded builds only; the no-op build after it executes nothing', async () => {
    expect(kiln(ws.root, ['build', '//...']).code).toBe(0);
    const first = cacheFiles(ws.root);
    // Edit one texture and rebuild: its old output and the old bundle become garbage.
    const texture = join(ws.root, 'pkgs/level_01/textures/tex_02.png');
    writeFileSync(texture, await noisePng(4242, 128));
    const edited = kiln(ws.root, ['build', '//...']);
    expect(executedLabels(edited)).toEqual(['//level_01:bundle', '//level_01:tex_02']);
    const superseded = [...first.keys()].filter((p) => p.startsWith('cas/'));
    ageCache(ws.root, 2 * DAY);

    const gc = kiln(ws.root, ['gc', '--max-age', '1d', '--grace', '0s']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stdout).toMatch(/removed [1-9]\d* of \d+ entries/);
    const after = cacheFiles(ws.root);
    // The old texture and bundle outputs (and their action-cache entries) are gone …
    const removedBlobs = superseded.filter((p) => !after.has(p));
    expect(removedBlobs.length).toBeGreaterThanOrEqual(2);
    // … and nothing the newest build needs.
    const noop = kiln(ws.root, ['build', '//...']);
    expect(noop.summary?.executed).toBe(0);
    rmSync(join(ws.root, 'kiln-out'), { recursive: true });
    expect(kiln(ws.root, ['build', '//...']).summary?.executed).toBe(0);
  });

  it('--max-size 1 keeps exactly what the newest build of every target needs, on every platform', () => {
    const mobile = kiln(ws.root, ['build', '//...', '--platform', 'mobile']);
    expect(mobile.code, mobile.stderr).toBe(0);
    const gc = kiln(ws.root, ['gc', '--max-size', '1', '--grace', '0s']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stdout).toMatch(/kept for the newest builds/);
    for (const platform of ['desktop', 'mobile']) {
      const noop = kiln(ws.root, ['build', '//...', '--platform', platform]);
      expect(noop.code, noop.stderr).toBe(0);
      expect(noop.summary?.executed, platform).toBe(0);
    }
    // Not a no-op by luck of kiln-out: re-materializing reads every output from the CAS.
    rmSync(join(ws.root, 'kiln-out'), { recursive: true });
    const desktop = kiln(ws.root, ['build', '//...']);
    expect(desktop.summary?.executed).toBe(0);
    // A second GC finds nothing more to remove.
    const again = kiln(ws.root, ['gc', '--max-size', '1', '--grace', '0s']);
    expect(again.stdout).toMatch(/removed 0 of/);
  });

  it('a GC running beside a build does not break it', async () => {
    // The first test edited a texture: what the workspace builds now, by a build with no GC beside it.
    const expected = treeDigests(join(ws.root, 'kiln-out'));
    expect(treeDifferences(reference, expected).length).toBe(3);
    // The worst case for the build: nothing protected by the build state, every entry old, so
    // only "in use right now" can keep the GC away from what the build is reading and writing.
    forgetRequestGraph(join(ws.root, '.kiln'));
    rmSync(join(ws.root, 'kiln-out'), { recursive: true, force: true });
    // Half the targets need cooking again: their cache entries are gone.
    const entries = [...storeRecords(join(ws.root, '.kiln'), 'ac').keys()];
    writeStoreRecords(join(ws.root, '.kiln'), 'ac', new Map(entries.filter((key) => key.charCodeAt(0) % 2 === 0).map((key) => [key, undefined])));
    ageCache(ws.root, 2 * DAY);
    const build = spawnKiln(ws.root, ['build', '//...', '--jobs', '2']);
    let gcs = 0;
    let finished = false;
    void build.done.then(() => (finished = true));
    while (!finished) {
      const gc = await spawnKiln(ws.root, ['gc', '--max-size', '1', '--max-age', '1h']).done;
      expect(gc.code, gc.stderr).toBe(0);
      gcs++;
      await sleep(20);
    }
    const result = await build.done;
    expect(result.code, `after ${gcs} GCs beside it:\n${result.stderr}\n${result.stdout}`).toBe(0);
    expect(gcs).toBeGreaterThan(0);
    expect(treeDifferences(expected, treeDigests(join(ws.root, 'kiln-out')))).toEqual([]);
    const noop = kiln(ws.root, ['build', '//...', '--explain']);
    expect(noop.summary?.executed, noop.stdout).toBe(0);
  });
});
