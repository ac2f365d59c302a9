/**
 * The bundle index: the first entry of every bundle tar (`kiln-index.json`). Browser-safe (no Node
 * imports, no hashing): the types, the entry name and the parser that checks everything the
 * runtime later relies on, typed meta included. Entry offsets are absolute byte positions inside
 * the tar; a part's offset is inside its entry (the same `Part` the rule's output record holds),
 * so a reader fetches any entry or part with one range read at `entry.offset + part.offset`.
 */
import { readAssetMeta, type AssetMeta } from './asset-meta.js';
import { ASSET_TYPES, LOAD_PRIORITIES, type AssetType, type LoadPriority } from './asset-type.js';
import { parseEnvelope } from './envelope.js';
import { FormatError } from './format-error.js';
import { arrayOf, digestOf, intOf, objectOf, oneOf, stringOf } from './json-reader.js';
import { readPart, type Part } from './part.js';

export const INDEX_ENTRY_NAME = 'kiln-index.json';
export const INDEX_KIND = 'kiln-bundle-index';
/** 2: parts are the one `Part` (offsets inside the entry), meta is typed per asset type. */
export const INDEX_VERSION = 2;

export type Compression = 'none' | 'zstd' | 'gzip';
export const COMPRESSIONS: readonly Compression[] = ['none', 'zstd', 'gzip'];

/** `{ hash, size }`: SHA-256 (64 lowercase hex chars) and byte count. */
export interface IndexDigest {
  hash: string;
  size: number;
}

/** One file in the tar: one output of one asset. */
export interface IndexEntry {
  /** Path inside the tar: `assets/<asset id>/<output name>`. */
  path: string;
  /** Asset id this entry belongs to. */
  asset: string;
  /** The output's name as the rule produced it (`bark.ktx2`). */
  output: string;
  /** Absolute offset of the entry's data in the tar, and its stored (maybe compressed) size. */
  offset: number;
  size: number;
  /** Digest of the stored bytes. */
  stored: IndexDigest;
  compression: Compression;
  /** Digest of the decoded bytes: the rule's output digest in the CAS. */
  raw: IndexDigest;
  /** Parts in the order a reader should fetch them (smallest mip / coarsest LOD first); offsets inside the entry. */
  parts: Part[];
  /** The rule's typed meta for this output (TextureMeta, ModelMeta, …: the asset's type decides). */
  meta: AssetMeta;
}

export interface IndexAsset {
  id: string;
  label: string;
  type: AssetType;
  /** Load priority inside this bundle: its own, raised to the most urgent asset that needs it. */
  priority: LoadPriority;
  /** Asset ids of direct dependencies. */
  deps: string[];
  /** Entry paths, main output first. Empty for assets held by another bundle. */
  entries: string[];
  /** For an asset held by another bundle (a bundle dependency): that bundle's file name. */
  external?: string;
}

/** Which platform a bundle or catalog was cooked for, and a digest of that platform's settings. */
export interface BundlePlatform {
  /** The platform name from the workspace (`windows`, `mobile`, `webgl`…). */
  name: string;
  /** Digest of the platform profile (every rule's settings for it): equal digests, same cooking. */
  settingsDigest: string;
}

export interface BundleIndex {
  /** Label of the bundle target. */
  bundle: string;
  /** The platform it was cooked for (absent in bundles written before kiln recorded it). */
  platform?: BundlePlatform;
  /** This tar's file name (`bundle.tar`, `bundle.textures.tar`). */
  file: string;
  /** Data alignment in bytes that every entry's offset honours. */
  alignment: number;
  /** Assets in load order. */
  assets: IndexAsset[];
  /** Entries in tar order. */
  entries: IndexEntry[];
}

/**
 * Parses and structurally checks an index; returns it with the checksum the envelope claims and
 * the canonical text that checksum must match (the caller hashes: this file stays hash-free).
 */
export function parseBundleIndex(text: string): { index: BundleIndex; hash: string; canonical: string } {
  const { body, hash, canonical } = parseEnvelope(text, INDEX_KIND, INDEX_VERSION);
  return { index: readIndex(body), hash, canonical };
}

function readIndex(value: unknown): BundleIndex {
  const o = objectOf(value, 'index');
  const assets = arrayOf(o.assets, 'assets').map((a, i) => readAsset(a, `assets[${i}]`));
  const types = new Map(assets.map((a) => [a.id, a.type]));
  const entries = arrayOf(o.entries, 'entries').map((e, i) => readEntry(e, `entries[${i}]`, types));
  const paths = new Set(entries.map((e) => e.path));
  for (const asset of assets) {
    for (const path of asset.entries) {
      if (!paths.has(path)) throw new FormatError(`asset ${asset.label} names missing entry ${path}`);
    }
  }
  return {
    bundle: stringOf(o.bundle, 'bundle'),
    ...(o.platform === undefined ? {} : { platform: readPlatform(o.platform, 'platform') }),
    file: stringOf(o.file, 'file'),
    alignment: intOf(o.alignment, 'alignment'),
    assets,
    entries,
  };
}

export function readPlatform(value: unknown, where: string): BundlePlatform {
  const o = objectOf(value, where);
  return { name: stringOf(o.name, `${where}.name`), settingsDigest: stringOf(o.settingsDigest, `${where}.settingsDigest`) };
}

function readAsset(value: unknown, where: string): IndexAsset {
  const o = objectOf(value, where);
  const asset: IndexAsset = {
    id: stringOf(o.id, `${where}.id`),
    label: stringOf(o.label, `${where}.label`),
    type: oneOf(o.type, ASSET_TYPES, `${where}.type`),
    priority: oneOf(o.priority, LOAD_PRIORITIES, `${where}.priority`),
    deps: arrayOf(o.deps, `${where}.deps`).map((d, i) => stringOf(d, `${where}.deps[${i}]`)),
    entries: arrayOf(o.entries, `${where}.entries`).map((d, i) => stringOf(d, `${where}.entries[${i}]`)),
  };
  if (o.external !== undefined) asset.external = stringOf(o.external, `${where}.external`);
  return asset;
}

function readEntry(value: unknown, where: string, types: ReadonlyMap<string, AssetType>): IndexEntry {
  const o = objectOf(value, where);
  const asset = stringOf(o.asset, `${where}.asset`);
  const type = types.get(asset);
  if (!type) throw new FormatError(`${where}: asset ${asset} is not listed`);
  const raw = digestOf(o.raw, `${where}.raw`);
  const entry: IndexEntry = {
    path: stringOf(o.path, `${where}.path`),
    asset,
    output: stringOf(o.output, `${where}.output`),
    offset: intOf(o.offset, `${where}.offset`),
    size: intOf(o.size, `${where}.size`),
    stored: digestOf(o.stored, `${where}.stored`),
    compression: oneOf(o.compression, COMPRESSIONS, `${where}.compression`),
    raw,
    // parts lie inside the raw output; streamed entries are stored raw, so also inside the entry
    parts: arrayOf(o.parts, `${where}.parts`).map((p, i) => readPart(p, `${where}.parts[${i}]`, raw.size)),
    meta: readAssetMeta(type, o.meta, `${where}.meta`),
  };
  if (entry.stored.size !== entry.size) throw new FormatError(`${where}: stored size ${entry.stored.size} ≠ size ${entry.size}`);
  if (entry.parts.length > 0 && entry.compression !== 'none') throw new FormatError(`${where}: streamed entries are stored uncompressed`);
  for (const part of entry.parts) {
    if (part.offset + part.size > entry.size) throw new FormatError(`${where}: part ${part.kind} ${part.index} lies outside its entry`);
  }
  return entry;
}
