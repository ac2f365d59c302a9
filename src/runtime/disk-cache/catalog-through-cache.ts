/**
 * Opening a catalog with a disk cache: the fresh catalog from the source when it answers (that is
 * how content updates arrive), kept for offline starts; the last kept one when the source is
 * offline. Whatever is opened declares its assets to the cache, so records of assets no open
 * catalog names are the first to be evicted, and critical assets' records are never evicted.
 */
import type { Catalog } from '../../bundle/catalog-format.js';
import { RuntimeError } from '../runtime-error.js';
import { catalogKey, contentKey } from './cache-key.js';
import type { DiskCache } from './disk-cache.js';

/** A kept catalog larger than this is not read back (catalogs are a few KiB per hundred assets). */
const MAX_CATALOG = 64 << 20;

export async function catalogThroughCache<R extends { readonly catalog: Catalog }>(cache: DiskCache, name: string, readFresh: () => Promise<Uint8Array>, open: (bytes: Uint8Array) => Promise<R>): Promise<R> {
  const key = catalogKey(name);
  let reader: R;
  try {
    const bytes = await readFresh();
    reader = await open(bytes);
    if (key) void cache.putRecord(key, bytes).catch(() => false);
  } catch (error) {
    if (!(error instanceof RuntimeError) || error.code !== 'offline' || !key) throw error;
    const kept = await cache.getRecord(key, MAX_CATALOG);
    if (!kept) throw new RuntimeError('offline', `${name}: the catalog is not in the disk cache and the source is offline (${error.message})`);
    try {
      reader = await open(kept);
    } catch {
      await cache.drop(key);
      throw new RuntimeError('offline', `${name}: the kept catalog failed verification and the source is offline (${error.message})`);
    }
  }
  declareCatalog(cache, name, reader.catalog, key);
  return reader;
}

/** A catalog replaces what the previous catalog from the same place referenced. */
function declareCatalog(cache: DiskCache, name: string, catalog: Catalog, key: string | undefined): void {
  cache.release(name);
  const keys = new Set<string>(key ? [key] : []);
  const critical = new Set<string>(key ? [key] : []);
  for (const asset of catalog.assets) {
    if (asset.digest.size === 0) continue;
    const k = contentKey(asset.digest);
    keys.add(k);
    if (asset.priority === 'critical') critical.add(k);
  }
  cache.reference(name, keys, critical);
}
