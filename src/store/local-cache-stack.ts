import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheStack } from './cache-stack.js';
import { DiskActionCache } from './disk-action-cache.js';
import { DiskBlobStore } from './disk-blob-store.js';
import type { InvalidEntryLog } from './invalid-entry-log.js';
import { LmdbActionCache } from './lmdb-action-cache.js';
import { LmdbBlobStore } from './lmdb-blob-store.js';
import { type LmdbEnvironment, openLmdbEnvironment } from './lmdb-environment.js';
import { LmdbUseTimes } from './lmdb-use-times.js';
import { LmdbWriteBatch } from './lmdb-write-batch.js';

export type LocalCacheStack = CacheStack & { readonly blobs: LmdbBlobStore; readonly actions: LmdbActionCache; close(): void };

/**
 * The local cache folder: action entries and blobs up to 16 KiB in the embedded store
 * (`<root>/state/engine.mdb`, the environment the request graph lives in), larger blobs as files
 * under `<root>/cas/`. A cache of earlier kiln versions (entries under `<root>/ac/`, small blobs
 * under `<root>/cas/`) is still read; new writes go to the store. `flush()` commits this process's
 * pending writes and returns the build's warnings: one about invalid entries, one if a commit
 * failed (what it held is lost, as a cache may lose anything: the next build cooks it again).
 * Flush before `close()`.
 */
export function createLocalStack(root: string, invalid: InvalidEntryLog): LocalCacheStack {
  const env = openLmdbEnvironment(join(root, 'state'));
  const { batch, uses } = writerOf(env);
  const legacyEntries = join(root, 'ac');
  return {
    blobs: new LmdbBlobStore(env, batch, uses, new DiskBlobStore(join(root, 'cas'))),
    // Checked once: a cache that never had the old layout pays nothing for reading it.
    actions: new LmdbActionCache(env, batch, uses, invalid, existsSync(legacyEntries) ? new DiskActionCache(legacyEntries, invalid) : undefined),
    flush: async () => {
      const warnings: string[] = [];
      try {
        await batch.flush();
      } catch (error) {
        // A full disk, say: the build's outputs are in kiln-out, but these results were not kept.
        warnings.push(`local cache: could not store this build's latest results (${(error as Error).message}); they will be cooked again`);
      }
      const warning = invalid.take();
      if (warning) warnings.push(warning.message);
      return warnings;
    },
    close: () => env.release(),
  };
}

/**
 * One write batch per environment per process: every stack on one cache folder (a build, the
 * studio, a second builder in a test) sees the others' writes before they commit.
 */
const writers = new WeakMap<LmdbEnvironment['root'], { batch: LmdbWriteBatch; uses: LmdbUseTimes }>();

function writerOf(env: LmdbEnvironment): { batch: LmdbWriteBatch; uses: LmdbUseTimes } {
  let writer = writers.get(env.root);
  if (!writer) {
    const batch = new LmdbWriteBatch(env);
    writer = { batch, uses: new LmdbUseTimes(env, batch) };
    writers.set(env.root, writer);
  }
  return writer;
}
