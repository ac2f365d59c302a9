/**
 * The local tier: entries and small blobs as records of the embedded store, large blobs as files;
 * every read verified; a cache of earlier versions (one file per entry and blob) still read.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestKey, digestOf } from '../../src/hash/digest.js';
import type { ResultEntry } from '../../src/store/action-entry.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { InvalidEntryLog } from '../../src/store/invalid-entry-log.js';
import { SMALL_BLOB_LIMIT } from '../../src/store/lmdb-blob-store.js';
import { createLocalStack, type LocalCacheStack } from '../../src/store/local-cache-stack.js';
import { collectGarbage } from '../../src/store/collect-garbage.js';
import { ageStoreRecords, storeRecords, writeStoreRecords } from '../support/local-store-records.js';

const roots: string[] = [];
const stacks: LocalCacheStack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) {
    await stack.flush?.();
    stack.close();
  }
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function open(root?: string): { stack: LocalCacheStack; root: string; invalid: InvalidEntryLog } {
  const dir = root ?? mkdtempSync(join(tmpdir(), 'kiln-local-'));
  if (!root) roots.push(dir);
  const invalid = new InvalidEntryLog();
  const stack = createLocalStack(dir, invalid);
  stacks.push(stack);
  return { stack, root: dir, invalid };
}

const bytesOf = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
const casFile = (root: string, key: string) => join(root, 'cas', key.slice(0, 2), key);

function resultEntry(digest: ResultEntry['outputs'][number]['digest']): ResultEntry {
  return { kind: 'result', outputs: [{ name: 'out.bin', digest, meta: {}, parts: [] }], diagnostics: [], stats: {}, durationMs: 1 };
}

describe('local cache stack', () => {
  it('a small blob lives in the store and a large one as a file', async () => {
    const { stack, root } = open();
    const small = bytesOf(SMALL_BLOB_LIMIT, 1);
    const large = bytesOf(SMALL_BLOB_LIMIT + 1, 2);
    const smallDigest = await stack.blobs.put(small);
    const largeDigest = await stack.blobs.put(large);
    // Read back before the batch commits (the build's own writes) …
    expect(await stack.blobs.get(smallDigest)).toEqual(small);
    expect(stack.blobs.hasLocal(smallDigest)).toBe(true);
    await stack.flush?.();
    // … and after: the small one is a record, the large one a file.
    expect(storeRecords(root, 'cas').get(digestKey(smallDigest))?.equals(small)).toBe(true);
    expect(existsSync(casFile(root, digestKey(smallDigest)))).toBe(false);
    expect(storeRecords(root, 'cas').has(digestKey(largeDigest))).toBe(false);
    expect(existsSync(casFile(root, digestKey(largeDigest)))).toBe(true);
    // Another process (a fresh stack after this one closed) sees both.
    stack.close();
    stacks.splice(stacks.indexOf(stack), 1);
    const { stack: again } = open(root);
    expect(await again.blobs.get(smallDigest)).toEqual(small);
    expect(await again.blobs.get(largeDigest)).toEqual(large);
    expect(await again.blobs.has(digestOf(bytesOf(10, 9)))).toBe(false);
  });

  it('a corrupted blob record is a miss and is removed; a put writes it again', async () => {
    const { stack, root } = open();
    const bytes = bytesOf(1000, 3);
    const digest = await stack.blobs.put(bytes);
    await stack.flush?.();
    const key = digestKey(digest);
    writeStoreRecords(root, 'cas', new Map([[key, Buffer.alloc(1000, 0x20)]]));
    expect(await stack.blobs.get(digest)).toBeUndefined();
    await stack.flush?.();
    expect(storeRecords(root, 'cas').has(key)).toBe(false);
    // Same size and still there, but different bytes: a put replaces it rather than keeping it.
    writeStoreRecords(root, 'cas', new Map([[key, Buffer.alloc(1000, 0x21)]]));
    await stack.blobs.put(bytes);
    await stack.flush?.();
    expect(storeRecords(root, 'cas').get(key)?.equals(bytes)).toBe(true);
    expect(await stack.blobs.get(digest)).toEqual(bytes);
  });

  it('a corrupted entry record is a miss with one warning, and is removed', async () => {
    const { stack, root } = open();
    const key = 'a'.repeat(64);
    await stack.actions.put(key, resultEntry(digestOf(bytesOf(5, 5))));
    expect((await stack.actions.get(key))?.kind).toBe('result');
    await stack.flush?.();
    const stored = storeRecords(root, 'ac').get(key)!;
    writeStoreRecords(root, 'ac', new Map([[key, stored.subarray(0, stored.length - 3)]]));
    expect(await stack.actions.get(key)).toBeUndefined();
    const warnings = (await stack.flush?.()) ?? [];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('invalid entr');
    expect(storeRecords(root, 'ac').has(key)).toBe(false);
  });

  it('a cache written by earlier versions (a file per entry and per blob) is still read, and its entries move into the store', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-legacy-'));
    roots.push(root);
    const blob = bytesOf(200, 7);
    const digest = await new DiskBlobStore(join(root, 'cas')).put(blob);
    const key = 'b'.repeat(64);
    await new DiskActionCache(join(root, 'ac')).put(key, resultEntry(digest));
    const { stack } = open(root);
    expect(await stack.actions.get(key)).toEqual(resultEntry(digest));
    expect(stack.blobs.hasLocal(digest)).toBe(true);
    expect(await stack.blobs.get(digest)).toEqual(blob);
    await stack.flush?.();
    expect(storeRecords(root, 'ac').has(key)).toBe(true);
    // A damaged old entry is a miss like any other.
    const other = 'c'.repeat(64);
    mkdirSync(join(root, 'ac', 'cc'), { recursive: true });
    writeFileSync(join(root, 'ac', 'cc', other), '{"kind":"res');
    expect(await stack.actions.get(other)).toBeUndefined();
  });

  it('a writer that never yields to the event loop still gets its writes committed (bounded memory)', async () => {
    const { stack, root } = open();
    // 72 MiB of small blobs, each put awaited: above 64 MiB pending, a put waits for a commit.
    for (let i = 0; i < 4608; i++) {
      const bytes = bytesOf(SMALL_BLOB_LIMIT, 0);
      new DataView(bytes.buffer).setUint32(0, i);
      await stack.blobs.put(bytes);
    }
    expect(storeRecords(root, 'cas').size).toBeGreaterThan(0);
    await stack.flush?.();
    expect(storeRecords(root, 'cas').size).toBe(4608);
  });

  it('a record a build finds while gc deletes it is restored by the build’s commit', async () => {
    const { stack, root } = open();
    const blob = bytesOf(300, 11);
    const digest = await stack.blobs.put(blob);
    const key = 'd'.repeat(64);
    await stack.actions.put(key, resultEntry(digest));
    await stack.flush?.();
    // Last used two days ago; nothing protects it.
    ageStoreRecords(root, 2 * 86_400_000);
    // The build finds both (its refresh not committed yet) …
    expect(stack.blobs.hasLocal(digest)).toBe(true);
    expect((await stack.actions.get(key))?.kind).toBe('result');
    // … a gc in another process (which cannot see that) deletes both right then …
    writeStoreRecords(root, 'cas', new Map([[digestKey(digest), undefined]]));
    writeStoreRecords(root, 'ac', new Map([[key, undefined]]));
    expect(storeRecords(root, 'cas').has(digestKey(digest))).toBe(false);
    // … and the build still reads them, and its commit puts them back with a fresh use time.
    expect(await stack.blobs.get(digest)).toEqual(blob);
    await stack.flush?.();
    expect(storeRecords(root, 'cas').get(digestKey(digest))?.equals(blob)).toBe(true);
    expect(storeRecords(root, 'ac').has(key)).toBe(true);
    expect((await collectGarbage({ cacheDir: root, maxAgeMs: 86_400_000, graceMs: 0 })).removedFiles).toBe(0);
  });

  it('two stacks on one folder in one process share the environment and see each other’s pending writes', async () => {
    const { stack, root } = open();
    const { stack: second } = open(root);
    const digest = await stack.blobs.put(bytesOf(64, 8));
    expect(second.blobs.hasLocal(digest)).toBe(true);
    stack.close();
    stacks.splice(stacks.indexOf(stack), 1);
    // Still open for the other handle.
    await second.flush?.();
    expect(await second.blobs.get(digest)).toEqual(bytesOf(64, 8));
  });
});
