import type { ActionCache } from './action-cache.js';
import type { BlobStore } from './blob-store.js';

/**
 * The pair the engine talks to. Locally it is the disk store; with a remote cache configured it
 * is a tiered stack (local first, remote second, remote hits written back locally).
 */
export interface CacheStack {
  blobs: BlobStore;
  actions: ActionCache;
  /** Wait for background work (remote uploads) to settle; resolves with warnings to print. */
  flush?(): Promise<string[]>;
}
