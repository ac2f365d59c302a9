/**
 * Reads and edits the records of a cache folder's embedded store (`.kiln/state/engine.mdb`) from a
 * test, the way a damaged disk or someone with a hex editor would: entries and small blobs live
 * there, not as files.
 */
import { join } from 'node:path';
import { NODES_DB } from '../../src/engine/tracker/lmdb-tracker-store.js';
import { ENTRIES_DB } from '../../src/store/lmdb-action-cache.js';
import { BLOBS_DB } from '../../src/store/lmdb-blob-store.js';
import { type LmdbEnvironment, openLmdbEnvironment } from '../../src/store/lmdb-environment.js';
import { decodeUse, encodeUse, USE_TIMES_DB } from '../../src/store/lmdb-use-times.js';

export type RecordArea = 'ac' | 'cas';

const dbName = (area: RecordArea) => (area === 'ac' ? ENTRIES_DB : BLOBS_DB);

function withStore<T>(cacheDir: string, use: (env: LmdbEnvironment) => T): T {
  const env = openLmdbEnvironment(join(cacheDir, 'state'));
  try {
    return use(env);
  } finally {
    env.release();
  }
}

/** Every record of one area: key → bytes. */
export function storeRecords(cacheDir: string, area: RecordArea): Map<string, Buffer> {
  return withStore(cacheDir, (env) => {
    const out = new Map<string, Buffer>();
    for (const { key, value } of env.database(dbName(area)).getRange({})) out.set(key, Buffer.from(value));
    return out;
  });
}

/** Overwrite (or, with `undefined`, delete) records in one committed transaction. */
export function writeStoreRecords(cacheDir: string, area: RecordArea, records: ReadonlyMap<string, Uint8Array | undefined>): void {
  withStore(cacheDir, (env) => {
    const db = env.database(dbName(area));
    env.root.transactionSync(() => {
      for (const [key, bytes] of records) {
        if (bytes === undefined) db.removeSync(key);
        else db.putSync(key, Buffer.from(bytes));
      }
    });
  });
}

/** Make every record look last used `ms` ago. */
export function ageStoreRecords(cacheDir: string, ms: number): void {
  withStore(cacheDir, (env) => {
    const uses = env.database(USE_TIMES_DB);
    const then = Date.now() - ms;
    env.root.transactionSync(() => {
      for (const { key, value } of uses.getRange({})) {
        const use = decodeUse(value);
        if (use) uses.putSync(key, encodeUse({ time: then, size: use.size }));
      }
    });
  });
}

/**
 * Lose the request graph but keep the cache (what deleting `.kiln/state` did when the cache
 * lived in files): the next build must find everything in the action cache.
 */
export function forgetRequestGraph(cacheDir: string): void {
  withStore(cacheDir, (env) => env.database(NODES_DB).clearSync());
}
