/**
 * Undoes per-entry compression, browser-safe: zstd with fzstd (pure JS), gzip with the platform's
 * DecompressionStream. Malformed input is a `corrupt` error.
 */
import { decompress as zstdDecompress } from 'fzstd';
import type { Compression } from '../bundle/index-format.js';
import { RuntimeError } from './runtime-error.js';

export async function decompress(stored: Uint8Array, compression: Compression, what: string): Promise<Uint8Array> {
  try {
    if (compression === 'none') return stored;
    if (compression === 'zstd') return zstdDecompress(stored);
    const stream = new Blob([stored as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new RuntimeError('corrupt', `${what}: cannot decode ${compression}: ${(error as Error).message}`);
  }
}
