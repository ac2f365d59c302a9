import type { Database } from 'lmdb';
import { type Digest, digestKey, digestOf, sameDigest } from '../hash/digest.js';
import type { BlobStore } from './blob-store.js';
import type { DiskBlobStore } from './disk-blob-store.js';
import { type LmdbEnvironment, readRecord } from './lmdb-environment.js';
import { BLOB_PREFIX, type LmdbUseTimes } from './lmdb-use-times.js';
import type { LmdbWriteBatch } from './lmdb-write-batch.js';

/**
 * Blobs up to this size live in the embedded store, larger ones stay files in the CAS folder.
 * Measured on this machine (bench figures in BENCHMARKS.md, "Local store"): below 16 KiB an LMDB
 * write costs the main thread 5–13 µs against ~20–25 µs for temp file + rename, and its commit
 * (with fsync, off the main thread) is cheaper too; from 32 KiB up the commit costs 2–5× the file
 * write and every such blob takes whole overflow pages of a file that never shrinks (and that is
 * memory-mapped, so reading it adds to the process's resident set).
 */
export const SMALL_BLOB_LIMIT = 16 * 1024;

export const BLOBS_DB = 'cas-1';

/**
 * The local CAS: small blobs as records of the embedded store, large ones (and blobs of a cache
 * written before the store existed, of any size) as files through `files`. Every read is verified
 * against the SHA-256 of its digest; a record that does not match is removed and reported missing,
 * so the next cook rewrites it.
 */
export class LmdbBlobStore implements BlobStore {
  readonly db: Database<Buffer, string>;

  constructor(
    env: LmdbEnvironment,
    private readonly batch: LmdbWriteBatch,
    private readonly uses: LmdbUseTimes,
    readonly files: DiskBlobStore,
  ) {
    this.db = env.database(BLOBS_DB);
  }

  async has(digest: Digest): Promise<boolean> {
    if (digest.size <= SMALL_BLOB_LIMIT && this.#hasRecord(digest)) return true;
    return this.files.has(digest);
  }

  hasLocal(digest: Digest): boolean {
    if (digest.size <= SMALL_BLOB_LIMIT && this.#hasRecord(digest)) return true;
    return this.files.hasLocal(digest);
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    if (digest.size <= SMALL_BLOB_LIMIT) {
      const bytes = this.#read(digest);
      if (bytes) return bytes;
    }
    return this.files.get(digest);
  }

  async put(bytes: Uint8Array, known?: Digest): Promise<Digest> {
    const digest = known ?? digestOf(bytes);
    if (digest.size > SMALL_BLOB_LIMIT) return this.files.put(bytes, digest);
    const key = digestKey(digest);
    // Already stored with these bytes: a use, not a write. (A same-size damaged record differs and is replaced.)
    const stored = this.#stored(key);
    if (stored && Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).equals(bytes)) {
      if (!this.uses.stale(BLOB_PREFIX + key)) return digest;
    }
    // A copy: the caller may reuse its buffer before the batch commits.
    this.batch.put(this.db, key, Buffer.from(bytes));
    this.uses.written(BLOB_PREFIX + key, digest.size);
    await this.batch.settle();
    return digest;
  }

  #stored(key: string): Uint8Array | undefined {
    const pending = this.batch.pending(this.db, key);
    if (pending !== undefined) return pending ?? undefined;
    return readRecord(this.db, key);
  }

  #hasRecord(digest: Digest): boolean {
    const key = digestKey(digest);
    const pending = this.batch.pending(this.db, key);
    if (pending !== undefined) return pending !== null;
    if (!this.db.doesExist(key)) return false;
    if (this.uses.stale(BLOB_PREFIX + key)) {
      // A copy out of the map, written again with a fresh use time (see LmdbUseTimes.stale).
      const bytes = this.db.getBinary(key);
      if (!bytes) return false;
      this.#keep(key, bytes);
    }
    return true;
  }

  #keep(key: string, bytes: Buffer): void {
    this.batch.put(this.db, key, bytes);
    this.uses.written(BLOB_PREFIX + key, bytes.byteLength);
  }

  #read(digest: Digest): Uint8Array | undefined {
    const key = digestKey(digest);
    const pending = this.batch.pending(this.db, key);
    if (pending === null) return undefined;
    // getBinary copies out of the map: the caller keeps these bytes beyond the next read.
    const bytes = pending ?? this.db.getBinary(key);
    if (!bytes) return undefined;
    if (!sameDigest(digestOf(bytes), digest)) {
      this.batch.remove(this.db, key);
      this.uses.removed(BLOB_PREFIX + key);
      return undefined;
    }
    if (pending === undefined && this.uses.stale(BLOB_PREFIX + key)) this.#keep(key, bytes);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
