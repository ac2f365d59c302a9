/**
 * All runtime I/O goes through this (Bevy's AssetReader idea): a file, an HTTP server with range
 * requests, or memory. A read returns exactly `length` bytes or rejects; a source never returns
 * short data silently, so truncation is always an error.
 */
/** A byte range of a source. */
export interface ByteRange {
  offset: number;
  length: number;
}

export interface ByteSource {
  /** For messages: a path or URL. */
  readonly name: string;
  /** Total size in bytes. */
  size(signal?: AbortSignal): Promise<number>;
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * Optional: several ranges, ascending, non-overlapping and close together, fetched with one
   * underlying operation (one `preadv`, one HTTP range request); one result per range, each
   * exactly its length. The loader merges reads queued together only for sources that have this.
   * Each result must own its memory or be a view of memory that outlives it anyway, so a cached
   * asset never keeps a neighbour's bytes alive behind the memory cache's back.
   */
  readRanges?(ranges: readonly ByteRange[], signal?: AbortSignal): Promise<Uint8Array[]>;
  /** Releases what the source holds open (a file handle). */
  close?(): Promise<void>;
  /** A source for a file next to this one (bundles named by a catalog). */
  sibling?(relativePath: string): ByteSource;
}
