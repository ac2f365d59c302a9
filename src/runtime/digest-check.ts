/**
 * xxh64 in the runtime (xxhash-wasm runs in browsers and Node; initialised on first use). Every
 * byte the reader hands out has passed one of these checks.
 */
import xxhash from 'xxhash-wasm';
import { RuntimeError } from './runtime-error.js';

type Api = Awaited<ReturnType<typeof xxhash>>;
let api: Promise<Api> | undefined;

const CHUNK = 1 << 20;

export async function xxh64(bytes: Uint8Array): Promise<string> {
  const h = await (api ??= xxhash());
  if (bytes.byteLength <= CHUNK) return h.h64Raw(bytes).toString(16).padStart(16, '0');
  const state = h.create64();
  for (let at = 0; at < bytes.byteLength; at += CHUNK) state.update(bytes.subarray(at, Math.min(at + CHUNK, bytes.byteLength)));
  return state.digest().toString(16).padStart(16, '0');
}

export async function xxh64Text(text: string): Promise<string> {
  const h = await (api ??= xxhash());
  return h.h64ToString(text);
}

/** Throws `corrupt` unless `bytes` hash to `hash` (and have `size` bytes when given). */
export async function checkDigest(bytes: Uint8Array, hash: string, what: string, size?: number): Promise<void> {
  if (size !== undefined && bytes.byteLength !== size) throw new RuntimeError('corrupt', `${what}: ${bytes.byteLength} bytes, expected ${size}`);
  const actual = await xxh64(bytes);
  if (actual !== hash) throw new RuntimeError('corrupt', `${what}: digest ${actual} does not match ${hash}`);
}
