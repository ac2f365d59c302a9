/**
 * A bundle's index read back from its kept index block without opening the bundle: what a
 * catalog needs to name every record its assets are kept under before any of its bundles is
 * opened. Only a block whose tar header and index checksum hold is believed.
 */
import { INDEX_ENTRY_NAME, parseBundleIndex, type BundleIndex, type IndexDigest } from '../../format/index-format.js';
import { BLOCK, readTarHeader } from '../../format/tar-header.js';
import { sha256Text } from '../digest-check.js';
import { indexKey } from './cache-key.js';
import type { DiskCache } from './disk-cache.js';

/** The index parser's own limit plus its tar header. */
export const MAX_INDEX_BLOCK = (256 << 20) + BLOCK;

/** The kept index of the bundle file whose digest is `bundle`, or undefined (not kept, or not intact). */
export async function readKeptIndex(cache: DiskCache, bundle: IndexDigest): Promise<BundleIndex | undefined> {
  // read straight from the store: looking at a record to know what is referenced is not a use of it
  const block = await cache.store.get(indexKey(bundle), MAX_INDEX_BLOCK).catch(() => undefined);
  if (!block || block.byteLength < BLOCK) return undefined;
  try {
    const header = readTarHeader(block.subarray(0, BLOCK));
    if (!header || header.name !== INDEX_ENTRY_NAME || BLOCK + header.size > block.byteLength) return undefined;
    const text = new TextDecoder('utf-8', { fatal: true }).decode(block.subarray(BLOCK, BLOCK + header.size));
    const { index, hash, canonical } = parseBundleIndex(text);
    return (await sha256Text(canonical)) === hash ? index : undefined;
  } catch {
    return undefined;
  }
}
