/**
 * Cooker side of the catalog: entries from the indexes of the bundles a target just wrote, plus
 * the catalogs of bundle targets it depends on (their assets are referenced, not repacked).
 */
import { gpuBytesOf } from '../format/asset-meta.js';
import { encodeEnvelope } from './envelope-writer.js';
import { CATALOG_KIND, CATALOG_VERSION, type Catalog, type CatalogAsset, type CatalogBundle } from '../format/catalog-format.js';
import type { BundleIndex, BundlePlatform, IndexDigest } from '../format/index-format.js';

export interface BuiltBundleRef {
  index: BundleIndex;
  digest: IndexDigest;
}

/** A dependency's catalog with its bundle paths rewritten relative to this catalog. */
export interface ReferencedCatalog {
  catalog: Catalog;
  /** `../../common` — from this catalog's folder to the other catalog's folder ('' if the same). */
  relativeDir: string;
}

export function buildCatalog(target: string, bundles: readonly BuiltBundleRef[], referenced: readonly ReferencedCatalog[], platform?: BundlePlatform): Catalog {
  const catalogBundles: CatalogBundle[] = [];
  const assets = new Map<string, CatalogAsset>();
  for (const ref of referenced) {
    const rewrite = (file: string) => joinPath(ref.relativeDir, file);
    for (const bundle of ref.catalog.bundles) catalogBundles.push({ ...bundle, file: rewrite(bundle.file) });
    for (const asset of ref.catalog.assets) assets.set(asset.id, { ...asset, bundle: rewrite(asset.bundle) });
  }
  for (const { index, digest } of bundles) {
    catalogBundles.push({ file: index.file, target, digest });
    const entries = new Map(index.entries.map((e) => [e.path, e]));
    for (const asset of index.assets) {
      const own = asset.entries.map((path) => entries.get(path)!);
      const main = own[0];
      const start = own.length > 0 ? Math.min(...own.map((e) => e.offset)) : 0;
      const end = own.length > 0 ? Math.max(...own.map((e) => e.offset + e.size)) : 0;
      const gpuBytes = main && asset.type === 'texture' ? gpuBytesOf(main.meta) : 0;
      assets.set(asset.id, {
        id: asset.id,
        label: asset.label,
        type: asset.type,
        priority: asset.priority,
        bundle: index.file,
        offset: start,
        size: end - start,
        digest: main ? main.raw : { hash: '0000000000000000', size: 0 },
        deps: asset.deps,
        gpuBytes,
      });
    }
  }
  const unique = new Map(catalogBundles.map((b) => [b.file, b]));
  return {
    target,
    ...(platform ? { platform } : {}),
    bundles: [...unique.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    assets: [...assets.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
  };
}

export function encodeCatalog(catalog: Catalog): string {
  return encodeEnvelope(CATALOG_KIND, CATALOG_VERSION, catalog);
}

function joinPath(dir: string, file: string): string {
  if (!dir) return file;
  const parts = `${dir}/${file}`.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/** Relative folder from package `from` to package `to` (`levels/forest` → `common` = `../../common`). */
export function relativePackageDir(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}
