/**
 * xxh64 over bytes and strings. xxhash-wasm needs one async instantiation; top-level await
 * keeps every caller synchronous afterwards, which matters on the no-op path (thousands of keys).
 */
import xxhash from 'xxhash-wasm';

const api = await xxhash();

/** A streaming xxh64 hasher; `digest()` returns 16 lowercase hex characters. */
export interface Hasher {
  update(data: Uint8Array | string): Hasher;
  digest(): string;
}

export function createHasher(): Hasher {
  const state = api.create64();
  const hasher: Hasher = {
    update(data) {
      state.update(data);
      return hasher;
    },
    digest() {
      return state.digest().toString(16).padStart(16, '0');
    },
  };
  return hasher;
}

const CHUNK = 1 << 20;

/** Hash bytes; large buffers are fed in chunks because one big call grows wasm memory for good. */
export function hashBytes(bytes: Uint8Array): string {
  if (bytes.byteLength <= CHUNK) return api.h64Raw(bytes).toString(16).padStart(16, '0');
  const hasher = createHasher();
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK) {
    hasher.update(bytes.subarray(offset, Math.min(offset + CHUNK, bytes.byteLength)));
  }
  return hasher.digest();
}

export function hashString(text: string): string {
  return api.h64ToString(text);
}
