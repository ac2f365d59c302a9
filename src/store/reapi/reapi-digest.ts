import { type Digest, isDigest } from '../../hash/digest.js';
import type { WireDigest } from './reapi-messages.js';

export function wireDigest(digest: Digest): WireDigest {
  return { hash: digest.hash, sizeBytes: String(digest.size) };
}

/** A server's digest, only if it is a well-formed SHA-256 one with a sane size. */
export function digestFromWire(wire: WireDigest | null | undefined): Digest | undefined {
  if (!wire) return undefined;
  const candidate = { hash: wire.hash, size: Number(wire.sizeBytes) };
  return isDigest(candidate) ? candidate : undefined;
}
