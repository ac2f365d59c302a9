/**
 * Counters the build summary prints; one live object per stack, mutated as requests finish.
 * A type alias (not an interface) so `{ ...metrics }` fits `BuildSummary.remote`'s index type.
 */
export type RemoteMetrics = {
  actionHits: number;
  actionMisses: number;
  blobHits: number;
  blobMisses: number;
  /** Successful PUTs (blobs and action entries). */
  uploads: number;
  /** PUTs that failed, or were abandoned at the flush deadline or because the remote was down. */
  uploadsFailed: number;
  bytesDown: number;
  bytesUp: number;
  /** Action entries with a missing/bad HMAC signature, blobs whose digest did not match. */
  verificationFailures: number;
  /** Requests that failed (timeout, refused, 5xx, truncated); skipped ones (breaker open) are not counted. */
  requestErrors: number;
};

export function createRemoteMetrics(): RemoteMetrics {
  return {
    actionHits: 0,
    actionMisses: 0,
    blobHits: 0,
    blobMisses: 0,
    uploads: 0,
    uploadsFailed: 0,
    bytesDown: 0,
    bytesUp: 0,
    verificationFailures: 0,
    requestErrors: 0,
  };
}

/** One line for the build summary, e.g. `remote cache: 12 hits, 3 misses, 5 uploads, 1.2 MB down, 0 B up`. */
export function formatRemoteMetrics(m: RemoteMetrics): string {
  const parts = [
    `${m.actionHits} hits`,
    `${m.actionMisses} misses`,
    `${m.uploads} uploads`,
    `${formatBytes(m.bytesDown)} down`,
    `${formatBytes(m.bytesUp)} up`,
  ];
  if (m.verificationFailures > 0) parts.push(`${m.verificationFailures} failed verification`);
  if (m.uploadsFailed > 0) parts.push(`${m.uploadsFailed} uploads failed`);
  if (m.requestErrors > 0) parts.push(`${m.requestErrors} request errors`);
  return `remote cache: ${parts.join(', ')}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
