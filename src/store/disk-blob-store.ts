import { readFile, rm, stat, utimes } from 'node:fs/promises';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { type Digest, digestKey, digestOf, sameDigest } from '../hash/digest.js';
import { atomicWrite } from './atomic-write.js';
import type { BlobStore } from './blob-store.js';

/**
 * `.kiln/cas/<first two hex>/<hash>-<size>`; fan-out keeps directories small on big projects.
 *
 * Writes are temp file + rename, so a killed build never leaves a torn blob under its final name.
 * Reads verify the digest anyway (a disk error or a power loss without fsync can still leave a
 * bad file): a blob that does not match its name is deleted and reported missing, so the next
 * cook rewrites it instead of the store serving or keeping it.
 */
const REFRESH_AFTER_MS = 5 * 60 * 1000;
/** Small blobs are read synchronously: cheaper than a thread-pool round trip. */
const SYNC_READ_LIMIT = 256 * 1024;

function readSync(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

export class DiskBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  pathOf(digest: Digest): string {
    return join(this.root, digest.hash.slice(0, 2), digestKey(digest));
  }

  async has(digest: Digest): Promise<boolean> {
    const path = this.pathOf(digest);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || info.size !== digest.size) return false;
    // A cache hit is a use: refresh the mtime, so `kiln gc` (least recently used first, nothing
    // used within its grace period) neither evicts a blob a running build is about to read nor
    // ranks a blob every no-op build relies on as unused.
    const now = new Date();
    return utimes(path, now, now).then(
      () => true,
      // Removed since the stat (a GC beside us): it is not there to be used.
      (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
    );
  }

  hasLocal(digest: Digest): boolean {
    const path = this.pathOf(digest);
    const info = statSync(path, { throwIfNoEntry: false });
    if (info === undefined || info.size !== digest.size) return false;
    // Same use-refresh as `has`, but only when the mtime is getting old: a no-op build minutes
    // after the last one then writes no inode at all. Five minutes stays inside gc's default
    // ten-minute grace period.
    if (Date.now() - info.mtimeMs > REFRESH_AFTER_MS) {
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        return false;
      }
    }
    return true;
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    const path = this.pathOf(digest);
    const bytes = digest.size <= SYNC_READ_LIMIT ? readSync(path) : await readFile(path).catch(() => undefined);
    if (!bytes) return undefined;
    if (!sameDigest(digestOf(bytes), digest)) {
      await rm(path, { force: true });
      return undefined;
    }
    // Reads refresh the mtime, which is what `kiln gc` orders by (least recently used first).
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async put(bytes: Uint8Array, known?: Digest): Promise<Digest> {
    const digest = known ?? digestOf(bytes);
    const path = this.pathOf(digest);
    const existing = statSync(path, { throwIfNoEntry: false });
    // Same size is not proof of same content: compare (a read is cheaper than the cook that got
    // here), so a corrupt file is replaced rather than kept forever.
    if (existing && existing.size === digest.size && (await readFile(path).catch(() => undefined))?.equals(bytes)) {
      const now = new Date();
      const touched = await utimes(path, now, now).then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
      );
      if (touched) return digest;
    }
    await atomicWrite(path, bytes);
    return digest;
  }
}
