/**
 * Store keys. Content records are named by their digest, so an unchanged entry keeps its key when
 * the bundle around it changes (moved offsets, other neighbours) and any catalog re-uses it. Two
 * other kinds of record are named, not content-addressed: a bundle's index, keyed by the digest
 * of the whole bundle file the catalog lists, and the last catalog read from a URL (for offline
 * starts). Both are verified by their own envelope checksum when read.
 */
import type { IndexDigest } from '../../format/index-format.js';
import { RuntimeError } from '../runtime-error.js';

const HEX = /^[0-9a-f]{8,128}$/;

function digestPart(digest: IndexDigest): string {
  if (!HEX.test(digest.hash) || !Number.isSafeInteger(digest.size) || digest.size < 0) {
    throw new RuntimeError('corrupt', `digest ${digest.hash}/${digest.size} cannot name a cache record`);
  }
  return `${digest.hash}-${digest.size}`;
}

export const CONTENT_PREFIX = 'c-';

/** The record holding exactly the bytes of `digest` (an entry's stored bytes, or one streaming part). */
export function contentKey(digest: IndexDigest): string {
  return `${CONTENT_PREFIX}${digestPart(digest)}`;
}

/** The record holding the index block of the bundle file whose digest is `bundle`. */
export function indexKey(bundle: IndexDigest): string {
  return `i-${digestPart(bundle)}`;
}

const NAME_MAX = 180;

/**
 * The record holding the last catalog read from `url`: the URL in a file-name-safe spelling
 * (bytes outside [a-z0-9.-] as `_xx` hex), or undefined when that would be too long to be a
 * file name (such a catalog is simply not kept for offline starts).
 */
export function catalogKey(url: string): string | undefined {
  let out = 'k-';
  for (const byte of new TextEncoder().encode(url)) {
    const c = String.fromCharCode(byte);
    out += /[a-z0-9.-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
    if (out.length > NAME_MAX) return undefined;
  }
  return out;
}
