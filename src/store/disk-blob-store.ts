import { readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { type Digest, digestKey, digestOf, sameDigest } from '../hash/digest.js';
import { atomicWrite } from './atomic-write.js';
import type { BlobStore } from './blob-store.js';

/** `.kiln/cas/<first two hex>/<hash>-<size>`; fan-out keeps directories small on big projects. */
export class DiskBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  pathOf(digest: Digest): string {
    return join(this.root, digest.hash.slice(0, 2), digestKey(digest));
  }

  async has(digest: Digest): Promise<boolean> {
    const info = await stat(this.pathOf(digest)).catch(() => undefined);
    return info !== undefined && info.size === digest.size;
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    const path = this.pathOf(digest);
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) return undefined;
    if (!sameDigest(digestOf(bytes), digest)) return undefined;
    // Reads refresh the mtime, which is what `kiln gc` orders by (least recently used first).
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async put(bytes: Uint8Array, known?: Digest): Promise<Digest> {
    const digest = known ?? digestOf(bytes);
    const path = this.pathOf(digest);
    const existing = await stat(path).catch(() => undefined);
    if (existing && existing.size === digest.size) {
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return digest;
    }
    await atomicWrite(path, bytes);
    return digest;
  }
}
