import type { Digest } from '../hash/digest.js';
import type { ActionEntry } from './action-entry.js';

/**
 * What `TieredCacheStack` needs from a remote, whatever the protocol (Bazel HTTP layout, WebDAV,
 * REAPI gRPC). Implementations never throw for server trouble: they report it to the circuit
 * breaker and answer "absent" / `false`.
 */
export interface RemoteBlobBackend {
  has(digest: Digest): Promise<boolean>;
  /** Verified bytes, or `undefined` (missing, failed, or not matching the digest). */
  get(digest: Digest): Promise<Uint8Array | undefined>;
  upload(bytes: Uint8Array, digest: Digest, signal?: AbortSignal): Promise<boolean>;
}

export interface RemoteActionBackend {
  get(key: string): Promise<ActionEntry | undefined>;
  upload(key: string, entry: ActionEntry, signal?: AbortSignal): Promise<boolean>;
}

/** One output file of a REAPI `ActionResult`: all of it kiln writes or reads. */
export interface ActionResultFile {
  path: string;
  digest: Digest;
}

/**
 * A REAPI action cache seen as action key → the `ActionResult`'s output files. The key is kiln's
 * action key (a SHA-256), used as the action digest's hash.
 */
export interface ActionResultStore {
  get(key: string): Promise<ActionResultFile[] | undefined>;
  put(key: string, files: ActionResultFile[], signal?: AbortSignal): Promise<boolean>;
}
