/**
 * Undoes per-entry compression, browser-safe: zstd with fzstd (pure JS), gzip with the platform's
 * DecompressionStream. Malformed input is a `corrupt` error.
 */
import { decompress as zstdDecompress } from 'fzstd';
import type { Compression } from '../bundle/index-format.js';
import { RuntimeError } from './runtime-error.js';

/**
 * Decoders a game may pass in (`LoaderOptions.decoders`) to replace the portable defaults, e.g.
 * native zstd / zlib in Node or a wasm zstd in the browser. Heavy codecs are passed in, not imported.
 */
export interface Decoders {
  zstd?: (stored: Uint8Array) => Uint8Array | Promise<Uint8Array>;
  gzip?: (stored: Uint8Array) => Uint8Array | Promise<Uint8Array>;
}

export async function decompress(stored: Uint8Array, compression: Compression, what: string, decoders: Decoders = {}): Promise<Uint8Array> {
  try {
    if (compression === 'none') return stored;
    if (compression === 'zstd') return decoders.zstd ? await decoders.zstd(stored) : zstdDecompress(stored);
    if (decoders.gzip) return await decoders.gzip(stored);
    const stream = new Blob([stored as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new RuntimeError('corrupt', `${what}: cannot decode ${compression}: ${(error as Error).message}`);
  }
}
