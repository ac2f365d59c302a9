/**
 * What a player must download to go from one catalog to the next: bundles that are new or whose
 * digest changed (unchanged bundles are already on disk), and which assets changed, appeared or
 * went away. Content update in Addressables terms.
 */
import type { Catalog, CatalogBundle } from '../format/catalog-format.js';

export interface CatalogDiff {
  /** Bundles to fetch: new, or changed digest. */
  download: { file: string; size: number; reason: 'added' | 'changed' }[];
  /** Bytes to fetch in total. */
  downloadBytes: number;
  /** Bundles no longer referenced (can be deleted). */
  removedBundles: string[];
  /** Bundles unchanged (kept). */
  unchangedBundles: string[];
  changedAssets: string[];
  addedAssets: string[];
  removedAssets: string[];
}

export function diffCatalogs(before: Catalog, after: Catalog): CatalogDiff {
  const oldBundles = new Map(before.bundles.map((b) => [b.file, b]));
  const newBundles = new Map(after.bundles.map((b) => [b.file, b]));
  const download: CatalogDiff['download'] = [];
  const unchangedBundles: string[] = [];
  for (const bundle of after.bundles) {
    const old = oldBundles.get(bundle.file);
    if (!old) download.push({ file: bundle.file, size: bundle.digest.size, reason: 'added' });
    else if (!same(old, bundle)) download.push({ file: bundle.file, size: bundle.digest.size, reason: 'changed' });
    else unchangedBundles.push(bundle.file);
  }
  const oldAssets = new Map(before.assets.map((a) => [a.id, a]));
  const newAssets = new Map(after.assets.map((a) => [a.id, a]));
  const changedAssets: string[] = [];
  const addedAssets: string[] = [];
  for (const asset of after.assets) {
    const old = oldAssets.get(asset.id);
    if (!old) addedAssets.push(asset.label);
    else if (old.digest.hash !== asset.digest.hash || old.digest.size !== asset.digest.size) changedAssets.push(asset.label);
  }
  return {
    download,
    downloadBytes: download.reduce((n, d) => n + d.size, 0),
    removedBundles: before.bundles.filter((b) => !newBundles.has(b.file)).map((b) => b.file),
    unchangedBundles,
    changedAssets,
    addedAssets,
    removedAssets: before.assets.filter((a) => !newAssets.has(a.id)).map((a) => a.label),
  };
}

function same(a: CatalogBundle, b: CatalogBundle): boolean {
  return a.digest.hash === b.digest.hash && a.digest.size === b.digest.size;
}
