import * as crypto from 'node:crypto';
import type { Hash } from 'node:crypto';

/**
 * Content address of a blob: the SHA-256 of the bytes (64 lowercase hex) plus their size, exactly
 * REAPI's `Digest {hash, size_bytes}`. SHA-256 rather than a faster hash because these addresses
 * are shared with team caches and remote workers: whoever can write to a shared cache must not be
 * able to craft a blob that passes the check.
 */
export interface Digest {
  readonly hash: string;
  readonly size: number;
}

/** Length of a digest hash in hex characters. */
export const DIGEST_HASH_LENGTH = 64;

const HASH = /^[0-9a-f]{64}$/;

/** True for 64 lowercase hex characters: the one well-formedness check for a digest hash. */
export function isDigestHash(hash: unknown): hash is string {
  return typeof hash === 'string' && HASH.test(hash);
}

/** True for a well-formed digest: a SHA-256 hex hash and a non-negative safe-integer size. */
export function isDigest(value: unknown): value is Digest {
  if (typeof value !== 'object' || value === null) return false;
  const { hash, size } = value as { hash?: unknown; size?: unknown };
  return isDigestHash(hash) && typeof size === 'number' && Number.isSafeInteger(size) && size >= 0;
}

/**
 * Node's one-shot `crypto.hash` (20.12+; engines allow any 20): no Hash object per call, about
 * half the cost for the small inputs a build hashes most (a 10k cold build hashes ~40,000 keys,
 * sources and blobs of a few hundred bytes each). Same bytes as createHash.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'hex') => string }).hash;

export function sha256Hex(data: Uint8Array | string): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

export function digestOf(bytes: Uint8Array): Digest {
  return { hash: sha256Hex(bytes), size: bytes.byteLength };
}

/** Incremental digest for data that arrives in pieces (files read in chunks, streamed downloads). */
export class Digester {
  private readonly hash: Hash = crypto.createHash('sha256');
  private size = 0;

  update(chunk: Uint8Array): this {
    this.hash.update(chunk);
    this.size += chunk.byteLength;
    return this;
  }

  digest(): Digest {
    return { hash: this.hash.digest('hex'), size: this.size };
  }
}

/** The string form used in file names, URLs and JSON: `<hash>-<size>`. */
export function digestKey(digest: Digest): string {
  return `${digest.hash}-${digest.size}`;
}

const DIGEST_KEY = /^([0-9a-f]{64})-(\d{1,16})$/;

export function parseDigestKey(key: string): Digest | undefined {
  const match = DIGEST_KEY.exec(key);
  if (!match) return undefined;
  const size = Number(match[2]);
  if (!Number.isSafeInteger(size)) return undefined;
  return { hash: match[1]!, size };
}

export function sameDigest(a: Digest | undefined, b: Digest | undefined): boolean {
  return a !== undefined && b !== undefined && a.hash === b.hash && a.size === b.size;
}
