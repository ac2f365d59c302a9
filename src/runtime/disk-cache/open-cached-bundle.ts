/**
 * Opens a bundle a catalog lists through the disk cache: its index block comes from the cache
 * when the catalog names the same bundle digest as before (no request; works offline), else from
 * the source, and is kept for next time. A cached index is used only when its own checksum holds
 * and every asset the catalog places in this bundle is in it with the digest the catalog gives,
 * so a garbled or stale record is dropped and read again, never trusted.
 */
import { BLOCK, readTarHeader } from '../../format/tar-header.js';
import type { Catalog, CatalogAsset } from '../../format/catalog-format.js';
import type { AssetLoader } from '../asset-loader.js';
import { openBundle, type BundleReader } from '../bundle-reader.js';
import type { ByteSource } from '../byte-source.js';
import { RuntimeError } from '../runtime-error.js';
import { bundleRecords } from './bundle-records.js';
import { indexKey } from './cache-key.js';
import type { DiskCache } from './disk-cache.js';
import { indexPrefixSource as indexPrefixSourceOf } from './index-prefix-source.js';
import { MAX_INDEX_BLOCK } from './kept-index.js';

export async function openCachedBundle(cache: DiskCache, catalog: Catalog, file: string, source: ByteSource, loader: AssetLoader, owner: string): Promise<BundleReader> {
  const listed = catalog.bundles.find((b) => b.file === file);
  if (!listed) return openBundle(source, { loader });
  const expected = catalog.assets.filter((a) => a.bundle === file);
  const key = indexKey(listed.digest);
  const cached = await cache.getRecord(key, MAX_INDEX_BLOCK);
  let reader: BundleReader | undefined;
  if (cached) {
    reader = await openBundle(indexPrefixSourceOf(source, listed.digest.size, cached).source, { loader }).then(
      (r) => (agrees(r, expected) ? r : undefined),
      () => undefined,
    );
    if (!reader) await cache.drop(key);
  }
  if (!reader) {
    const recording = indexPrefixSourceOf(source, listed.digest.size);
    try {
      reader = await openBundle(recording.source, { loader });
    } catch (error) {
      if (error instanceof RuntimeError && error.code === 'offline') throw new RuntimeError('offline', `${source.name}: its index is not in the disk cache and the source is offline (${error.message})`);
      throw error;
    }
    const block = indexBlock(recording.prefix());
    if (block && agrees(reader, expected)) void cache.putRecord(key, block).catch(() => false);
  }
  register(cache, reader, owner, key);
  return reader;
}

/** The tar header block plus the index data, or undefined when fewer bytes were recorded. */
function indexBlock(prefix: Uint8Array): Uint8Array | undefined {
  if (prefix.byteLength < BLOCK) return undefined;
  const header = readTarHeader(prefix.subarray(0, BLOCK));
  if (!header || prefix.byteLength < BLOCK + header.size) return undefined;
  return prefix.subarray(0, BLOCK + header.size);
}

function agrees(reader: BundleReader, expected: readonly CatalogAsset[]): boolean {
  const byPath = new Map(reader.index.entries.map((e) => [e.path, e]));
  for (const asset of expected) {
    const info = reader.info(asset.id);
    if (!info || info.external) return false;
    const main = info.entries[0];
    const entry = main === undefined ? undefined : byPath.get(main);
    if (entry && (entry.raw.hash !== asset.digest.hash || entry.raw.size !== asset.digest.size)) return false;
  }
  return true;
}

/** What this bundle's records are, so eviction knows them as referenced, critical or pinned. */
function register(cache: DiskCache, reader: BundleReader, owner: string, index: string): void {
  const { all, critical, byAsset } = bundleRecords(reader.index, index);
  for (const [id, keys] of byAsset) cache.describeAsset(id, keys);
  cache.reference(owner, all, critical);
}
