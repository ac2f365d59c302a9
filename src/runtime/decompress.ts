/**
 * Undoes per-entry compression, browser-safe: zstd with fzstd (pure JS), gzip with the platform's
 * DecompressionStream. Malformed input is a `corrupt` error. Output is bounded by the raw size
 * the index declares: a decompression bomb (a zstd RLE frame, a gzip of zeros) stops at that many
 * bytes instead of filling memory first and failing its digest check afterwards.
 */
import { decompress as zstdDecompress } from 'fzstd';
import type { Compression } from '../format/index-format.js';
import { RuntimeError } from './runtime-error.js';

/**
 * Decoders a game may pass in (`LoaderOptions.decoders`) to replace the portable defaults, e.g.
 * native zstd / zlib in Node or a wasm zstd in the browser. Heavy codecs are passed in, not
 * imported. `maxBytes` is the declared decoded size: a decoder should not produce more (the
 * result is checked either way).
 */
export interface Decoders {
  zstd?: (stored: Uint8Array, maxBytes?: number) => Uint8Array | Promise<Uint8Array>;
  gzip?: (stored: Uint8Array, maxBytes?: number) => Uint8Array | Promise<Uint8Array>;
}

/**
 * The most a single entry may decode to (1 GiB): a 16k × 16k RGBA texture with mips is ~1.4 GB
 * raw but is never stored compressed (streamed entries are stored as-is); anything bigger in an
 * index is a lie meant to make the reader allocate.
 */
export const MAX_DECODED_BYTES = 1 << 30;

export async function decompress(stored: Uint8Array, compression: Compression, what: string, decoders: Decoders = {}, rawSize?: number): Promise<Uint8Array> {
  if (compression === 'none') return stored;
  const limit = rawSize ?? MAX_DECODED_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_DECODED_BYTES) {
    throw new RuntimeError('corrupt', `${what}: declared decoded size ${limit} is over the ${MAX_DECODED_BYTES}-byte limit`);
  }
  const claim = implausibleClaim(stored, compression, limit);
  if (claim) throw new RuntimeError('corrupt', `${what}: ${claim}`);
  let out: Uint8Array;
  try {
    if (compression === 'zstd') out = decoders.zstd ? await decoders.zstd(stored, limit) : zstdBounded(stored, limit);
    else out = decoders.gzip ? await decoders.gzip(stored, limit) : await gunzipBounded(stored, limit, what);
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError('corrupt', `${what}: cannot decode ${compression}: ${(error as Error).message}`);
  }
  if (rawSize !== undefined && out.byteLength !== rawSize) {
    throw new RuntimeError('corrupt', `${what}: ${compression} decoded to ${out.byteLength} bytes, the index says ${rawSize}`);
  }
  return out;
}

/**
 * A declared decoded size the stored bytes cannot produce, found before allocating for it: more
 * than the format's best ratio (deflate 1032:1; zstd's RLE blocks ~32768:1), or, for zstd, other
 * than the frame header's own content size.
 */
function implausibleClaim(stored: Uint8Array, compression: Compression, limit: number): string | undefined {
  const ratio = compression === 'gzip' ? 1032 : 32_768;
  if (limit > stored.byteLength * ratio + 1024) return `declared decoded size ${limit} is more than ${compression} can make of ${stored.byteLength} bytes`;
  if (compression === 'zstd') {
    const content = zstdContentSize(stored);
    if (content !== undefined && content !== limit) return `zstd frame holds ${content} bytes, the index says ${limit}`;
  }
  return undefined;
}

/** Frame_Content_Size when the input is one zstd frame whose header carries it (RFC 8878 §3.1.1.1). */
function zstdContentSize(bytes: Uint8Array): number | undefined {
  if (bytes.byteLength < 6 || bytes[0] !== 0x28 || bytes[1] !== 0xb5 || bytes[2] !== 0x2f || bytes[3] !== 0xfd) return undefined;
  const descriptor = bytes[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictBytes = [0, 1, 2, 4][descriptor & 3]!;
  const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
  if (fcsBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + dictBytes;
  if (at + fcsBytes > bytes.byteLength) return undefined;
  let value = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) value = value * 256 + bytes[at + i]!;
  // Only meaningful when this frame is all there is (several frames add up): walk its block
  // headers, which is cheap (3 bytes each), to see that it ends exactly at the end of the input.
  let offset = at + fcsBytes;
  for (;;) {
    if (offset + 3 > bytes.byteLength) return undefined;
    const header = bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16);
    const type = (header >> 1) & 3;
    offset += 3 + (type === 1 ? 1 : header >>> 3);
    if (header & 1) break;
  }
  if ((descriptor >> 2) & 1) offset += 4;
  if (offset !== bytes.byteLength) return undefined;
  return fcsBytes === 2 ? value + 256 : value;
}

/**
 * fzstd writing into a buffer of exactly `limit` bytes: it then allocates no window of its own
 * (a frame header can declare up to 2 GB), and blocks past the end are dropped or throw rather
 * than grow memory; a result that did not fit then fails its digest check.
 */
function zstdBounded(stored: Uint8Array, limit: number): Uint8Array {
  const out = zstdDecompress(stored, new Uint8Array(limit));
  // Several frames make fzstd concatenate into a copy it sizes itself: still at most what fits.
  if (out.byteLength > limit) throw new RuntimeError('corrupt', `decodes to more than the declared ${limit} bytes`);
  return out;
}

/** gzip through DecompressionStream, read chunk by chunk and cancelled once past `limit`. */
async function gunzipBounded(stored: Uint8Array, limit: number, what: string): Promise<Uint8Array> {
  const stream = new Blob([stored as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const out = new Uint8Array(limit);
  let filled = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (filled + value.byteLength > limit) {
      await reader.cancel().catch(() => undefined);
      throw new RuntimeError('corrupt', `${what}: gzip decodes to more than the declared ${limit} bytes (decompression bomb?)`);
    }
    out.set(value, filled);
    filled += value.byteLength;
  }
  return filled === limit ? out : out.subarray(0, filled);
}
