/**
 * Where the disk cache keeps bytes: a small key → bytes interface with one implementation per
 * host (IndexedDB in browsers, a folder on Node/native, memory in tests). A store only keeps and
 * lists bytes; it never decides what is valid — the DiskCache verifies every read against the
 * digest in its key, so a store may lose, truncate or garble anything without harm.
 */

/** One stored record as listed: its key, byte count and last use (wall-clock ms). */
export interface StoredEntry {
  key: string;
  size: number;
  usedAt: number;
}

/** What the host says about its storage (browser `navigator.storage.estimate()`). */
export interface StorageEstimate {
  /** Bytes the origin uses (all of its storage, not only this cache). */
  usage: number;
  /** Bytes the origin may use. */
  quota: number;
}

export interface DiskStore {
  /** For messages: a folder path or a database name. */
  readonly name: string;
  /**
   * The stored bytes, or undefined when absent, unreadable or larger than `maxBytes` (the cache
   * re-fetches either way). A store that can see a record's size first must not read past it.
   */
  get(key: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /** Stores `bytes` whole or not at all (a crash mid-write must never leave a partial record under `key`). */
  put(key: string, bytes: Uint8Array, usedAt: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every record; called once when the cache opens. Also removes debris of interrupted writes. */
  list(): Promise<StoredEntry[]>;
  /** Records a use for LRU order across sessions (best effort). */
  touch(key: string, usedAt: number): Promise<void>;
  clear(): Promise<void>;
  /** The host's quota, where it has one. */
  estimate?(): Promise<StorageEstimate | undefined>;
  /** Asks the host not to evict this storage under pressure (browser `navigator.storage.persist()`). */
  persist?(): Promise<boolean>;
  close?(): Promise<void>;
}

/** Store keys are restricted to this alphabet, so every store can use them as file names as they are. */
export const STORE_KEY = /^[a-z0-9][a-z0-9._-]{0,199}$/;
