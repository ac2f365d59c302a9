/**
 * The catalog (Unity Addressables' content catalog): for a set of bundles, which bundle holds
 * each asset, at which byte range, in which version (digest), with its type, priority and
 * dependencies. Games ship it next to the bundles; `kiln diff` compares two of them.
 * Browser-safe: types and a structural parser only.
 */
import { ASSET_TYPES, LOAD_PRIORITIES, type AssetType, type LoadPriority } from './asset-type.js';
import { parseEnvelope } from './envelope.js';
import { FormatError } from './format-error.js';
import { readPlatform, type BundlePlatform, type IndexDigest } from './index-format.js';
import { arrayOf, digestOf, intOf, objectOf, oneOf, stringOf } from './json-reader.js';

export const CATALOG_KIND = 'kiln-catalog';
export const CATALOG_VERSION = 1;

export interface CatalogBundle {
  /** Path of the bundle tar relative to the catalog file (`bundle.tar`, `../../common/ui.tar`). */
  file: string;
  /** Label of the bundle target that produced it. */
  target: string;
  digest: IndexDigest;
}

export interface CatalogAsset {
  id: string;
  label: string;
  type: AssetType;
  priority: LoadPriority;
  /** `file` of the bundle holding it. */
  bundle: string;
  /** Byte range of all its entries inside that bundle. */
  offset: number;
  size: number;
  /** Digest of its main output: the asset's version. */
  digest: IndexDigest;
  /** Asset ids of direct dependencies. */
  deps: string[];
  /** GPU memory for textures (from the texture's `gpuBytes`), else 0. */
  gpuBytes: number;
}

export interface Catalog {
  /** Label of the bundle target that wrote this catalog. */
  target: string;
  /** The platform its bundles were cooked for (absent in catalogs written before kiln recorded it). */
  platform?: BundlePlatform;
  bundles: CatalogBundle[];
  /** Sorted by label. */
  assets: CatalogAsset[];
}

/** Parses and checks a catalog's structure; the caller verifies `hash` against `canonical`. */
export function parseCatalog(text: string): { catalog: Catalog; hash: string; canonical: string } {
  const { body, hash, canonical } = parseEnvelope(text, CATALOG_KIND, CATALOG_VERSION);
  const o = objectOf(body, 'catalog');
  const bundles = arrayOf(o.bundles, 'bundles').map((b, i) => {
    const where = `bundles[${i}]`;
    const v = objectOf(b, where);
    return { file: stringOf(v.file, `${where}.file`), target: stringOf(v.target, `${where}.target`), digest: digestOf(v.digest, `${where}.digest`) };
  });
  const files = new Set(bundles.map((b) => b.file));
  const assets = arrayOf(o.assets, 'assets').map((a, i): CatalogAsset => {
    const where = `assets[${i}]`;
    const v = objectOf(a, where);
    const asset: CatalogAsset = {
      id: stringOf(v.id, `${where}.id`),
      label: stringOf(v.label, `${where}.label`),
      type: oneOf(v.type, ASSET_TYPES, `${where}.type`),
      priority: oneOf(v.priority, LOAD_PRIORITIES, `${where}.priority`),
      bundle: stringOf(v.bundle, `${where}.bundle`),
      offset: intOf(v.offset, `${where}.offset`),
      size: intOf(v.size, `${where}.size`),
      digest: digestOf(v.digest, `${where}.digest`),
      deps: arrayOf(v.deps, `${where}.deps`).map((d, j) => stringOf(d, `${where}.deps[${j}]`)),
      gpuBytes: intOf(v.gpuBytes, `${where}.gpuBytes`),
    };
    if (!files.has(asset.bundle)) throw new FormatError(`${where}: bundle ${asset.bundle} is not listed`);
    return asset;
  });
  const platform = o.platform === undefined ? {} : { platform: readPlatform(o.platform, 'platform') };
  return { catalog: { target: stringOf(o.target, 'target'), ...platform, bundles, assets }, hash, canonical };
}
