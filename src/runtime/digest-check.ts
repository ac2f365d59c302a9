/**
 * SHA-256 in the runtime through WebCrypto (`crypto.subtle`, in every browser and in Node 20), so
 * the reader needs no wasm and checks the same content addresses the cooker writes; on pages
 * without it (plain-HTTP LAN addresses are not secure contexts) a JavaScript SHA-256. Every byte
 * the reader hands out has passed one of these checks.
 */
import { RuntimeError } from './runtime-error.js';
import { sha256Fallback } from './sha256-fallback.js';

function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  // Browsers offer crypto.subtle only in secure contexts (https, localhost).
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256Fallback(bytes);
  // WebCrypto refuses views of shared memory; those (rare) get copied.
  const plain = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
  return toHex(await subtle.digest('SHA-256', plain));
}

export async function sha256Text(text: string): Promise<string> {
  return sha256(new TextEncoder().encode(text));
}

/** Throws `corrupt` unless `bytes` hash to `hash` (and have `size` bytes when given). */
export async function checkDigest(bytes: Uint8Array, hash: string, what: string, size?: number): Promise<void> {
  if (size !== undefined && bytes.byteLength !== size) throw new RuntimeError('corrupt', `${what}: ${bytes.byteLength} bytes, expected ${size}`);
  const actual = await sha256(bytes);
  if (actual !== hash) throw new RuntimeError('corrupt', `${what}: digest ${actual} does not match ${hash}`);
}
