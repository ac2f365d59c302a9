import { type Digest, digestKey, digestOf } from '../hash/digest.js';
import type { BlobStore } from './blob-store.js';

/**
 * Writes stay in memory, reads fall through to the store below. `--check-determinism` cooks into
 * overlays so that outputs of a rule that turns out not to be deterministic never reach the
 * local or remote cache; `commit()` copies them down once both runs agree.
 */
export class OverlayBlobStore implements BlobStore {
  private readonly written = new Map<string, { digest: Digest; bytes: Uint8Array }>();

  constructor(private readonly below: BlobStore) {}

  async has(digest: Digest): Promise<boolean> {
    return this.written.has(digestKey(digest)) || this.below.has(digest);
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    return this.written.get(digestKey(digest))?.bytes ?? this.below.get(digest);
  }

  async put(bytes: Uint8Array, known?: Digest): Promise<Digest> {
    const digest = known ?? digestOf(bytes);
    this.written.set(digestKey(digest), { digest, bytes });
    return digest;
  }

  async commit(): Promise<void> {
    for (const { digest, bytes } of this.written.values()) await this.below.put(bytes, digest);
  }
}
