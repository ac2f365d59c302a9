import type { Database } from 'lmdb';
import { type LmdbEnvironment, readRecord } from './lmdb-environment.js';
import type { LmdbWriteBatch } from './lmdb-write-batch.js';

/** Use times of the records in the embedded store, for `kiln gc` (least recently used first). */
export const USE_TIMES_DB = 'used-1';

/** Record names in the use-time table: a tier prefix, then the digest key or action key. */
export const BLOB_PREFIX = 'cas/';
export const ENTRY_PREFIX = 'ac/';

/**
 * A use is written only when the stored one is older than this: a no-op build minutes after the
 * last one writes nothing. Five minutes stays inside gc's default ten-minute grace period.
 */
const REFRESH_AFTER_MS = 5 * 60 * 1000;

export interface RecordUse {
  /** Last use, ms since the epoch. */
  time: number;
  /** Bytes the record holds (what evicting it frees). */
  size: number;
}

export function encodeUse(use: RecordUse): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeDoubleLE(use.time, 0);
  bytes.writeDoubleLE(use.size, 8);
  return bytes;
}

/** A use record as stored; anything else (a damaged record) is `undefined`. */
export function decodeUse(bytes: Uint8Array | undefined): RecordUse | undefined {
  if (bytes === undefined || bytes.byteLength !== 16) return undefined;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, 16);
  const time = view.readDoubleLE(0);
  const size = view.readDoubleLE(8);
  if (!Number.isFinite(time) || !Number.isSafeInteger(size) || size < 0) return undefined;
  return { time, size };
}

/**
 * Written in the same batch as the record they describe, so a record and its use time commit
 * together; `kiln gc` orders by them and re-checks them inside its delete transaction.
 */
export class LmdbUseTimes {
  readonly db: Database<Buffer, string>;

  constructor(
    env: LmdbEnvironment,
    private readonly batch: LmdbWriteBatch,
  ) {
    this.db = env.database(USE_TIMES_DB);
  }

  /** A record was written now. */
  written(name: string, size: number): void {
    this.batch.put(this.db, name, encodeUse({ time: Date.now(), size }));
  }

  /**
   * Whether a record that was just read or found needs its use time refreshed: it is getting old
   * and no write of it is pending. The caller then writes the record again *with its bytes*
   * (`written`): a `kiln gc` beside this build may delete it between this look and the commit of
   * the refresh; re-putting the bytes means this build's commit restores it, and until then the
   * build reads it from its pending batch. Records used within the last five minutes skip all this.
   */
  stale(name: string): boolean {
    if (this.batch.pending(this.db, name)) return false;
    const stored = decodeUse(readRecord(this.db, name));
    return stored === undefined || Date.now() - stored.time >= REFRESH_AFTER_MS;
  }

  removed(name: string): void {
    this.batch.remove(this.db, name);
  }
}
