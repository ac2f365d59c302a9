/**
 * All runtime I/O goes through this (Bevy's AssetReader idea): a file, an HTTP server with range
 * requests, or memory. A read returns exactly `length` bytes or rejects; a source never returns
 * short data silently, so truncation is always an error.
 */
export interface ByteSource {
  /** For messages: a path or URL. */
  readonly name: string;
  /** Total size in bytes. */
  size(signal?: AbortSignal): Promise<number>;
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** Releases what the source holds open (a file handle). */
  close?(): Promise<void>;
  /** A source for a file next to this one (bundles named by a catalog). */
  sibling?(relativePath: string): ByteSource;
}
