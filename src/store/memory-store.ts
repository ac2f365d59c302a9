import { type Digest, digestKey, digestOf } from '../hash/digest.js';
import type { ActionCache } from './action-cache.js';
import type { ActionEntry } from './action-entry.js';
import type { BlobStore } from './blob-store.js';

/** In-memory twins of the disk backends, for tests and the watch server. */
export class MemoryBlobStore implements BlobStore {
  readonly blobs = new Map<string, Uint8Array>();

  async has(digest: Digest): Promise<boolean> {
    return this.blobs.has(digestKey(digest));
  }

  hasLocal(digest: Digest): boolean {
    return this.blobs.has(digestKey(digest));
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    return this.blobs.get(digestKey(digest));
  }

  async put(bytes: Uint8Array, known?: Digest): Promise<Digest> {
    const digest = known ?? digestOf(bytes);
    this.blobs.set(digestKey(digest), bytes);
    return digest;
  }
}

export class MemoryActionCache implements ActionCache {
  readonly entries = new Map<string, string>();

  async get(key: string): Promise<ActionEntry | undefined> {
    const text = this.entries.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as ActionEntry);
  }

  async put(key: string, entry: ActionEntry): Promise<void> {
    this.entries.set(key, JSON.stringify(entry));
  }
}
