/**
 * Opening a catalog with a disk cache: the fresh catalog from the source when it answers (that is
 * how content updates arrive), kept for offline starts; the last kept one when the source is
 * offline. Whatever is opened declares its assets to the cache, so records of assets no open
 * catalog names are the first to be evicted, and critical assets' records are never evicted.
 */
import type { Catalog } from '../../format/catalog-format.js';
import { RuntimeError } from '../runtime-error.js';
import { bundleRecords } from './bundle-records.js';
import { catalogKey, contentKey, indexKey } from './cache-key.js';
import type { DiskCache, LaterReferences } from './disk-cache.js';
import { readKeptIndex } from './kept-index.js';

/** A kept catalog larger than this is not read back (catalogs are a few KiB per hundred assets). */
const MAX_CATALOG = 64 << 20;

export async function catalogThroughCache<R extends { readonly catalog: Catalog }>(cache: DiskCache, name: string, readFresh: () => Promise<Uint8Array>, open: (bytes: Uint8Array) => Promise<R>): Promise<R> {
  const key = catalogKey(name);
  let reader: R;
  /** The catalog bytes to keep: the fresh ones, not the kept ones read back offline. */
  let fresh: Uint8Array | undefined;
  try {
    fresh = await readFresh();
    reader = await open(fresh);
  } catch (error) {
    if (!(error instanceof RuntimeError) || error.code !== 'offline' || !key) throw error;
    fresh = undefined;
    const bytes = await cache.getRecord(key, MAX_CATALOG);
    if (!bytes) throw new RuntimeError('offline', `${name}: the catalog is not in the disk cache and the source is offline (${error.message})`);
    try {
      reader = await open(bytes);
    } catch {
      await cache.drop(key);
      throw new RuntimeError('offline', `${name}: the kept catalog failed verification and the source is offline (${error.message})`);
    }
  }
  // declared before the fresh catalog is kept: making room for it must already know what it uses
  declareCatalog(cache, name, reader.catalog, key);
  if (key && fresh) void cache.putRecord(key, fresh).catch(() => false);
  return reader;
}

/**
 * A catalog replaces what the previous catalog from the same place referenced. The catalog itself
 * names each asset's main output and its bundles (so their index blocks); the records of every
 * other output and of streaming parts are listed only in the bundles' indexes, read from their
 * kept index blocks when an eviction first needs them (bundles not opened yet included).
 */
function declareCatalog(cache: DiskCache, name: string, catalog: Catalog, key: string | undefined): void {
  cache.release(name);
  const keys = new Set<string>(key ? [key] : []);
  const critical = new Set<string>(key ? [key] : []);
  for (const bundle of catalog.bundles) {
    keys.add(indexKey(bundle.digest));
    critical.add(indexKey(bundle.digest));
  }
  for (const asset of catalog.assets) {
    if (asset.digest.size === 0) continue;
    const k = contentKey(asset.digest);
    keys.add(k);
    if (asset.priority === 'critical') critical.add(k);
  }
  cache.reference(name, keys, critical, () => keptBundleRecords(cache, catalog));
}

/** Every record of the catalog's bundles whose index block is kept. */
async function keptBundleRecords(cache: DiskCache, catalog: Catalog): Promise<LaterReferences> {
  const keys: string[] = [];
  const critical: string[] = [];
  for (const bundle of catalog.bundles) {
    const index = await readKeptIndex(cache, bundle.digest);
    if (!index) continue;
    const records = bundleRecords(index, indexKey(bundle.digest));
    keys.push(...records.all);
    critical.push(...records.critical);
  }
  return { keys, critical };
}
