import { type Digest, digestKey } from '../hash/digest.js';
import type { ActionCache } from './action-cache.js';
import type { ActionEntry } from './action-entry.js';
import type { BlobStore } from './blob-store.js';
import type { CacheStack } from './cache-stack.js';
import type { RemoteActionBackend, RemoteBlobBackend } from './remote-backend.js';
import type { RemoteHealth } from './remote-health.js';
import type { RemoteMetrics } from './remote-metrics.js';
import { RemoteUploadQueue } from './remote-upload-queue.js';
import type { RemoteWarnings } from './remote-warnings.js';

/** `read`: developer machines, never upload. `read-write`: CI, uploads what it builds. */
export type RemoteCacheMode = 'read' | 'read-write';

export interface TieredCacheStackOptions {
  local: CacheStack;
  remoteBlobs: RemoteBlobBackend;
  remoteActions: RemoteActionBackend;
  mode: RemoteCacheMode;
  health: RemoteHealth;
  metrics: RemoteMetrics;
  warnings: RemoteWarnings;
  /** Uploads in flight at once. Default 8. */
  uploadConcurrency?: number;
  /** Downloads in flight at once. Default 8. */
  downloadConcurrency?: number;
  /** How long `flush()` waits for uploads before abandoning them. Default 15 000 ms. */
  flushTimeoutMs?: number;
}

/**
 * Local store first, remote second. A remote action hit counts only when every output blob it
 * names could be downloaded (and verified) too; then blobs and entry are written locally, so the
 * engine never sees an entry whose bytes are missing. In `read-write` mode every local write is
 * mirrored to the remote in the background, blobs before the entry that references them, so a
 * remote entry never points at a blob the server does not have.
 */
export class TieredCacheStack implements CacheStack {
  readonly blobs: BlobStore;
  readonly actions: ActionCache;
  readonly metrics: RemoteMetrics;
  readonly mode: RemoteCacheMode;

  readonly #local: CacheStack;
  readonly #remoteBlobs: RemoteBlobBackend;
  readonly #remoteActions: RemoteActionBackend;
  readonly #health: RemoteHealth;
  readonly #warnings: RemoteWarnings;
  readonly #uploads: RemoteUploadQueue;
  readonly #downloads: RemoteUploadQueue;
  readonly #flushTimeoutMs: number;
  /** digestKey → upload outcome; also holds blobs known to be on the server (downloaded). */
  readonly #blobUploads = new Map<string, Promise<boolean>>();
  readonly #downloadsInFlight = new Map<string, Promise<Uint8Array | undefined>>();
  #reportedVerificationFailures = 0;

  constructor(options: TieredCacheStackOptions) {
    this.#local = options.local;
    this.#remoteBlobs = options.remoteBlobs;
    this.#remoteActions = options.remoteActions;
    this.#health = options.health;
    this.#warnings = options.warnings;
    this.metrics = options.metrics;
    this.mode = options.mode;
    this.#uploads = new RemoteUploadQueue(options.uploadConcurrency ?? 8);
    this.#downloads = new RemoteUploadQueue(options.downloadConcurrency ?? 8);
    this.#flushTimeoutMs = options.flushTimeoutMs ?? 15_000;
    this.blobs = {
      has: (digest) => this.#hasBlob(digest),
      get: (digest) => this.#getBlob(digest),
      put: (bytes, digest) => this.#putBlob(bytes, digest),
      hasLocal: (digest) => this.#local.blobs.hasLocal?.(digest) ?? false,
    };
    this.actions = {
      get: (key) => this.#getAction(key),
      put: (key, entry) => this.#putAction(key, entry),
    };
  }

  /** Uploads scheduled but not finished yet. */
  get pendingUploads(): number {
    return this.#uploads.pending;
  }

  async flush(): Promise<string[]> {
    // A remote that already failed this build has had its one warning: do not wait on it.
    const unfinished = await this.#uploads.drain(this.#health.warning === undefined ? this.#flushTimeoutMs : 0);
    if (unfinished > 0 && this.#health.warning === undefined) {
      this.#warnings.emit(
        `remote cache: ${unfinished} upload(s) still running after ${this.#flushTimeoutMs} ms were abandoned; ` +
          'the next build will upload them',
      );
    }
    const failures = this.metrics.verificationFailures - this.#reportedVerificationFailures;
    if (failures > 0) {
      this.#reportedVerificationFailures = this.metrics.verificationFailures;
      this.#warnings.emit(
        `remote cache: ${failures} download(s) failed verification (bad or missing HMAC signature, ` +
          'unreadable entry, or blob digest mismatch) and were ignored',
      );
    }
    const local = (await this.#local.flush?.()) ?? [];
    return [...local, ...this.#warnings.take()];
  }

  async #hasBlob(digest: Digest): Promise<boolean> {
    if (await this.#local.blobs.has(digest)) return true;
    if (!this.#health.available) return false;
    return this.#remoteBlobs.has(digest);
  }

  async #getBlob(digest: Digest): Promise<Uint8Array | undefined> {
    const local = await this.#local.blobs.get(digest);
    if (local) return local;
    return this.#download(digest);
  }

  /** Concurrent requests for one blob share a download (Vite-style in-flight dedupe). */
  #download(digest: Digest): Promise<Uint8Array | undefined> {
    const key = digestKey(digest);
    const inFlight = this.#downloadsInFlight.get(key);
    if (inFlight) return inFlight;
    const work = (async () => {
      if (!this.#health.available) return undefined;
      const bytes = await this.#downloads.slot(() => this.#remoteBlobs.get(digest));
      if (!bytes) return undefined;
      await this.#local.blobs.put(bytes, digest);
      this.#blobUploads.set(key, Promise.resolve(true));
      return bytes;
    })().finally(() => this.#downloadsInFlight.delete(key));
    this.#downloadsInFlight.set(key, work);
    return work;
  }

  async #putBlob(bytes: Uint8Array, known?: Digest): Promise<Digest> {
    const digest = await this.#local.blobs.put(bytes, known);
    if (this.mode === 'read-write') this.#uploadBlob(digest, false);
    return digest;
  }

  /**
   * Schedule a blob upload (once per digest per stack) and return its outcome. Bytes are re-read
   * from the local store inside the slot rather than held: a big build can queue gigabytes.
   * `checkFirst` HEADs before PUT, for blobs not produced by this build (likely already there).
   */
  #uploadBlob(digest: Digest, checkFirst: boolean): Promise<boolean> {
    const key = digestKey(digest);
    const known = this.#blobUploads.get(key);
    if (known) return known;
    const work = this.#uploads.slot(async (signal) => {
      if (!(await this.#health.mayUpload()) || signal.aborted) {
        this.metrics.uploadsFailed += 1;
        return false;
      }
      if (checkFirst && (await this.#remoteBlobs.has(digest))) return true;
      const bytes = await this.#local.blobs.get(digest);
      if (!bytes) return false;
      return this.#remoteBlobs.upload(bytes, digest, signal);
    });
    this.#blobUploads.set(key, work);
    this.#uploads.track(work);
    return work;
  }

  async #getAction(key: string): Promise<ActionEntry | undefined> {
    const local = await this.#local.actions.get(key);
    if (local) return local;
    if (!this.#health.available) {
      this.metrics.actionMisses += 1;
      return undefined;
    }
    const remote = await this.#remoteActions.get(key);
    if (!remote || !(await this.#fetchOutputs(remote))) {
      this.metrics.actionMisses += 1;
      return undefined;
    }
    await this.#local.actions.put(key, remote);
    this.metrics.actionHits += 1;
    return remote;
  }

  async #fetchOutputs(entry: ActionEntry): Promise<boolean> {
    if (entry.kind !== 'result') return true;
    const present = await Promise.all(
      entry.outputs.map(async ({ digest }) =>
        (await this.#local.blobs.has(digest)) ? true : (await this.#download(digest)) !== undefined,
      ),
    );
    return present.every(Boolean);
  }

  async #putAction(key: string, entry: ActionEntry): Promise<void> {
    await this.#local.actions.put(key, entry);
    if (this.mode !== 'read-write') return;
    const work = (async () => {
      const digests = entry.kind === 'result' ? entry.outputs.map((output) => output.digest) : [];
      const blobsUploaded = await Promise.all(digests.map((digest) => this.#uploadBlob(digest, true)));
      if (!blobsUploaded.every(Boolean)) {
        this.metrics.uploadsFailed += 1;
        return false;
      }
      return this.#uploads.slot(async (signal) => (await this.#health.mayUpload()) && this.#remoteActions.upload(key, entry, signal));
    })();
    this.#uploads.track(work);
  }
}
