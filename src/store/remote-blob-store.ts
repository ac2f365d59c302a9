import { type Digest, digestOf, sameDigest } from '../hash/digest.js';
import type { RemoteBlobBackend } from './remote-backend.js';
import type { RemoteHttpClient } from './remote-http-client.js';
import type { RemoteMetrics } from './remote-metrics.js';

/**
 * `<base>cas/<sha256>` on a Bazel-style HTTP cache (bazel-remote verifies every upload against
 * the hash; a WebDAV server just stores it). Every downloaded blob is re-hashed:
 * the server is not trusted, and a blob whose digest does not match is a miss (and counted).
 */
export class RemoteBlobStore implements RemoteBlobBackend {
  constructor(
    private readonly client: RemoteHttpClient,
    private readonly metrics: RemoteMetrics,
  ) {}

  async has(digest: Digest): Promise<boolean> {
    return (await this.client.head(pathOf(digest))) === true;
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    const result = await this.client.get(pathOf(digest), digest.size);
    if (result.kind !== 'hit') {
      this.metrics.blobMisses += 1;
      return undefined;
    }
    if (!sameDigest(digestOf(result.body), digest)) {
      this.metrics.verificationFailures += 1;
      this.metrics.blobMisses += 1;
      return undefined;
    }
    this.metrics.blobHits += 1;
    return result.body;
  }

  /** Like `put`, but says whether the upload succeeded and can be abandoned via `signal`. */
  async upload(bytes: Uint8Array, digest: Digest, signal?: AbortSignal): Promise<boolean> {
    const ok = await this.client.put(pathOf(digest), bytes, signal);
    if (ok) this.metrics.uploads += 1;
    else this.metrics.uploadsFailed += 1;
    return ok;
  }
}

function pathOf(digest: Digest): string {
  return `cas/${digest.hash}`;
}
