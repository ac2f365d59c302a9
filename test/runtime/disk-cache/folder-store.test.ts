/**
 * The folder store on its own: records as files named by key, whole-or-nothing writes, debris of
 * interrupted writes removed on listing, and nothing outside the folder ever read or touched
 * (symlinks ignored, keys that could name another path refused, oversized records not read).
 */
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderStore } from '../../../src/runtime/disk-cache/folder-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-folder-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('folder store', () => {
  it('keeps records as files, lists them with sizes and last use, and deletes and clears them', async () => {
    const store = folderStore(join(dir, 'cache'));
    await store.put('c-aa-10', bytes(10), 1_000_000);
    await store.put('c-bb-20', bytes(20), 2_000_000);
    expect(await store.get('c-aa-10', 10)).toEqual(bytes(10));
    expect((await store.list()).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'c-aa-10', size: 10, usedAt: 1_000_000 },
      { key: 'c-bb-20', size: 20, usedAt: 2_000_000 },
    ]);
    await store.touch('c-aa-10', 3_000_000);
    expect((await stat(join(dir, 'cache/c-aa-10'))).mtimeMs).toBe(3_000_000);
    await store.delete('c-aa-10');
    expect(await store.get('c-aa-10', 10)).toBeUndefined();
    await store.clear();
    expect(await readdir(join(dir, 'cache'))).toEqual([]);
  });

  it('removes the debris of interrupted writes and ignores what it did not write', async () => {
    const store = folderStore(dir);
    await writeFile(join(dir, '.tmp-c-aa-10-123-0'), bytes(3));
    await writeFile(join(dir, 'README.TXT'), 'not a record');
    await writeFile(join(dir, 'OUTSIDE.bin'), bytes(5));
    await symlink(join(dir, 'OUTSIDE.bin'), join(dir, 'c-cc-5'));
    await store.put('c-aa-10', bytes(10), 1);
    const listed = await store.list();
    expect(listed.map((e) => e.key)).toEqual(['c-aa-10']);
    expect((await readdir(dir)).sort()).toEqual(['OUTSIDE.bin', 'README.TXT', 'c-aa-10', 'c-cc-5']);
    // a symlink under a record's name is never followed, read or touched through
    expect(await store.get('c-cc-5', 5)).toBeUndefined();
    await store.touch('c-cc-5', 5_000_000);
    expect((await stat(join(dir, 'OUTSIDE.bin'))).mtimeMs).not.toBe(5_000_000);
    await store.clear();
    expect(await readFile(join(dir, 'OUTSIDE.bin'))).toEqual(Buffer.from(bytes(5)));
  });

  it('refuses keys that could name another path, and never reads past the size asked for', async () => {
    const store = folderStore(dir);
    await expect(store.put('../escape', bytes(1), 1)).rejects.toThrow();
    await expect(store.put('a/b', bytes(1), 1)).rejects.toThrow();
    expect(await readdir(join(dir, '..'))).not.toContain('escape');
    await store.put('c-dd-100', bytes(100), 1);
    expect(await store.get('c-dd-100', 99)).toBeUndefined();
    expect((await store.get('c-dd-100', 100))?.byteLength).toBe(100);
  });

  it('reports the disk it lives on as its quota', async () => {
    const store = folderStore(dir);
    await store.put('c-ee-1000', bytes(1000), 1);
    await store.list();
    const estimate = (await store.estimate!())!;
    expect(estimate.usage).toBe(1000);
    expect(estimate.quota).toBeGreaterThan(1000);
  });
});
