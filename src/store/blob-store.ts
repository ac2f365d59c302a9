import type { Digest } from '../hash/digest.js';

/** Content-addressed blobs. Implementations verify digests on read: a bad blob is a miss. */
export interface BlobStore {
  has(digest: Digest): Promise<boolean>;
  get(digest: Digest): Promise<Uint8Array | undefined>;
  /** Store bytes; `digest` may be passed when the caller already computed it. */
  put(bytes: Uint8Array, digest?: Digest): Promise<Digest>;
  /**
   * Whether the blob is in the *local* store, answered synchronously (a stat). The no-op fast
   * path checks thousands of outputs this way; stores without a local tier omit it.
   */
  hasLocal?(digest: Digest): boolean;
}
