/** What a bundle target's outputs carry: each tar, and the catalog. */
import { meta, readOneOf, readSpec, type MetaOf } from './meta-spec.js';

export const BUNDLE_TAR_META = { bundleGroup: meta.string, assets: meta.int, entries: meta.int };
export type BundleTarMeta = MetaOf<typeof BUNDLE_TAR_META>;

export const CATALOG_OUTPUT_META = { bundles: meta.list(meta.string), assets: meta.int };
export type CatalogOutputMeta = MetaOf<typeof CATALOG_OUTPUT_META>;

export type BundleOutputMeta = BundleTarMeta | CatalogOutputMeta;

export function readBundleMeta(value: unknown, where: string): BundleOutputMeta {
  return readOneOf<BundleOutputMeta>([(v, w) => readSpec(BUNDLE_TAR_META, v, w), (v, w) => readSpec(CATALOG_OUTPUT_META, v, w)], value, where);
}
