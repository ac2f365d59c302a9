import type { Database } from 'lmdb';
import type { ActionCache } from './action-cache.js';
import { type ActionEntry, parseActionEntry } from './action-entry.js';
import type { DiskActionCache } from './disk-action-cache.js';
import type { InvalidEntryLog } from './invalid-entry-log.js';
import { type LmdbEnvironment, readRecord } from './lmdb-environment.js';
import { ENTRY_PREFIX, type LmdbUseTimes } from './lmdb-use-times.js';
import type { LmdbWriteBatch } from './lmdb-write-batch.js';

export const ENTRIES_DB = 'ac-1';

const ACTION_KEY = /^[0-9a-zA-Z_-]{1,128}$/;

/**
 * The local action cache as records of the embedded store: action key → the entry as JSON.
 * Every read is parsed strictly (`parseActionEntry`): a record anyone edited or a disk damaged is
 * a miss, recorded in `invalid`, and removed. `legacy` reads the file-per-entry cache of earlier
 * kiln versions (`.kiln/ac/`), when one is there: a hit is copied into the store.
 */
export class LmdbActionCache implements ActionCache {
  readonly db: Database<Buffer, string>;

  constructor(
    env: LmdbEnvironment,
    private readonly batch: LmdbWriteBatch,
    private readonly uses: LmdbUseTimes,
    private readonly invalid?: InvalidEntryLog,
    private readonly legacy?: DiskActionCache,
  ) {
    this.db = env.database(ENTRIES_DB);
  }

  async get(key: string): Promise<ActionEntry | undefined> {
    if (!ACTION_KEY.test(key)) return undefined;
    const pending = this.batch.pending(this.db, key);
    const bytes = pending === undefined ? readRecord(this.db, key) : (pending ?? undefined);
    if (bytes === undefined) return this.#fromLegacy(key);
    const size = bytes.byteLength;
    const entry = parseActionEntry(bytes);
    if (!entry) {
      this.invalid?.record('local', key);
      this.batch.remove(this.db, key);
      this.uses.removed(ENTRY_PREFIX + key);
      return undefined;
    }
    if (pending === undefined && this.uses.stale(ENTRY_PREFIX + key)) {
      // Written again with a fresh use time, so a gc beside us cannot take it (see
      // LmdbUseTimes.stale). Read again: `bytes` was a view the use-time read has reused.
      const copy = this.db.getBinary(key);
      if (copy) {
        this.batch.put(this.db, key, copy);
        this.uses.written(ENTRY_PREFIX + key, size);
      }
    }
    return entry;
  }

  async put(key: string, entry: ActionEntry): Promise<void> {
    // Keys are hex from the engine; refusing anything else keeps garbage out of the key space.
    if (!ACTION_KEY.test(key)) throw new Error(`invalid action key ${JSON.stringify(key)}`);
    const bytes = Buffer.from(JSON.stringify(entry));
    this.batch.put(this.db, key, bytes);
    this.uses.written(ENTRY_PREFIX + key, bytes.byteLength);
    await this.batch.settle();
  }

  async #fromLegacy(key: string): Promise<ActionEntry | undefined> {
    const entry = await this.legacy?.get(key);
    if (entry) await this.put(key, entry);
    return entry;
  }
}
