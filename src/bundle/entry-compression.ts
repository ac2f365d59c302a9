/**
 * Per-entry compression for the cooker (Node). zstd (via @mongodb-js/zstd, decoded in browsers by
 * fzstd) or gzip (zlib, decoded by DecompressionStream); the compressed form is kept only when it
 * is smaller than the raw bytes. Streamed entries are never compressed: see README.md.
 */
import { createRequire } from 'node:module';
import type * as Zstd from '@mongodb-js/zstd';
import { gzipSync } from 'node:zlib';
import type { Compression } from '../format/index-format.js';

export interface CompressedEntry {
  stored: Uint8Array;
  compression: Compression;
}

export async function compressEntry(raw: Uint8Array, mode: Compression): Promise<CompressedEntry> {
  if (mode === 'none' || raw.byteLength === 0) return { stored: raw, compression: 'none' };
  const input = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const packed = mode === 'zstd' ? await zstd().compress(input, 19) : gzipSync(input, { level: 9 });
  if (packed.byteLength >= raw.byteLength) return { stored: raw, compression: 'none' };
  return { stored: new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength), compression: mode };
}

let zstdModule: typeof Zstd | undefined;

/** The native zstd binding, loaded by the first bundle that asks for it rather than by every CLI start. */
function zstd(): typeof Zstd {
  zstdModule ??= createRequire(import.meta.url)('@mongodb-js/zstd') as typeof Zstd;
  return zstdModule;
}
