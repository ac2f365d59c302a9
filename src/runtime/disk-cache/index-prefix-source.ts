/**
 * A bundle's byte source with its leading index block (tar header + `kiln-index.json`) answered
 * from memory, and its size taken from the catalog, so reopening an unchanged bundle costs no
 * request at all — also offline. Without a cached block it records the leading bytes as
 * `openBundle` reads them, so the caller can keep them.
 */
import type { ByteRange, ByteSource } from '../byte-source.js';

export interface IndexPrefixSource {
  source: ByteSource;
  /** The contiguous leading bytes read or served so far. */
  prefix(): Uint8Array;
}

/** Reads at offset 0 and reads continuing them are recorded up to this many bytes (the index parser's own cap plus a header). */
const MAX_PREFIX = (256 << 20) + 512;

export function indexPrefixSource(inner: ByteSource, size: number, cached?: Uint8Array): IndexPrefixSource {
  const chunks: Uint8Array[] = cached ? [cached] : [];
  let recorded = cached?.byteLength ?? 0;
  const fromPrefix = (offset: number, length: number): Uint8Array | undefined => {
    if (!cached || offset + length > cached.byteLength) return undefined;
    return cached.subarray(offset, offset + length);
  };
  const record = (offset: number, bytes: Uint8Array) => {
    if (cached || offset !== recorded || recorded + bytes.byteLength > MAX_PREFIX) return;
    chunks.push(bytes.slice());
    recorded += bytes.byteLength;
  };
  const source: ByteSource = {
    name: inner.name,
    async size() {
      return size;
    },
    async read(offset, length, signal) {
      const hit = fromPrefix(offset, length);
      if (hit) return hit;
      const bytes = await inner.read(offset, length, signal);
      record(offset, bytes);
      return bytes;
    },
    close: inner.close ? () => inner.close!() : undefined,
    sibling: inner.sibling ? (path) => inner.sibling!(path) : undefined,
  };
  if (inner.readRanges) {
    source.readRanges = (ranges: readonly ByteRange[], signal?: AbortSignal) => {
      const head = cached?.byteLength ?? recorded;
      if (ranges.every((r) => r.offset >= head)) return inner.readRanges!(ranges, signal);
      return Promise.all(ranges.map((r) => source.read(r.offset, r.length, signal)));
    };
  }
  return {
    source,
    prefix() {
      if (chunks.length === 1) return chunks[0]!;
      const out = new Uint8Array(recorded);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      return out;
    },
  };
}
