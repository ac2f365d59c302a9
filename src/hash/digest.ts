import { hashBytes } from './xxhash.js';

/** Content address of a blob: xxh64 hex plus its size in bytes (like REAPI's Digest). */
export interface Digest {
  readonly hash: string;
  readonly size: number;
}

export function digestOf(bytes: Uint8Array): Digest {
  return { hash: hashBytes(bytes), size: bytes.byteLength };
}

/** The string form used in file names, URLs and JSON: `<hash>-<size>`. */
export function digestKey(digest: Digest): string {
  return `${digest.hash}-${digest.size}`;
}

const DIGEST_KEY = /^([0-9a-f]{16})-(\d+)$/;

export function parseDigestKey(key: string): Digest | undefined {
  const match = DIGEST_KEY.exec(key);
  if (!match) return undefined;
  return { hash: match[1]!, size: Number(match[2]) };
}

export function sameDigest(a: Digest | undefined, b: Digest | undefined): boolean {
  return a !== undefined && b !== undefined && a.hash === b.hash && a.size === b.size;
}
