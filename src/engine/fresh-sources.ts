import { type Digest, sameDigest } from '../hash/digest.js';

/** Files larger than this are hashed in chunks and read again by the cook, never kept whole. */
export const FRESH_SOURCE_MAX_BYTES = 64 * 1024;
/** What all kept sources may hold at once: a cached action never takes its sources, so entries age out. */
const MAX_TOTAL_BYTES = 4 * 1024 * 1024;

/**
 * Source bytes the file-digest request just read and hashed, handed once to the cook that reads
 * that source next (a cold build hashes every source, then its action cooks right after). The
 * cook would otherwise realpath, stat, read and hash the same file again. Only bytes whose digest
 * is the one the action was keyed with are handed out, so the cook sees exactly what the key
 * says — containment was checked when they were read (requests/file-digest.ts). Oldest first out,
 * bounded by total size.
 */
export class FreshSources {
  private readonly kept = new Map<string, { digest: Digest; bytes: Uint8Array }>();
  private total = 0;

  keep(path: string, digest: Digest, bytes: Uint8Array): void {
    if (bytes.byteLength > FRESH_SOURCE_MAX_BYTES) return;
    this.drop(path);
    this.kept.set(path, { digest, bytes });
    this.total += bytes.byteLength;
    for (const [oldest] of this.kept) {
      if (this.total <= MAX_TOTAL_BYTES) break;
      this.drop(oldest);
    }
  }

  /** The bytes of `path` if they were kept with `digest`; each is handed out once. */
  take(path: string, digest: Digest): Uint8Array | undefined {
    const entry = this.kept.get(path);
    if (!entry) return undefined;
    this.drop(path);
    return sameDigest(entry.digest, digest) ? entry.bytes : undefined;
  }

  private drop(path: string): void {
    const entry = this.kept.get(path);
    if (!entry) return;
    this.kept.delete(path);
    this.total -= entry.bytes.byteLength;
  }
}
