/**
 * `kiln/format`: the typed contract between kiln's cooker and every reader of what it cooks —
 * asset types and priorities, the bundle index, the catalog, the JSON envelope, the tar header
 * reader, the hot-reload protocol, and the meta each asset type's outputs carry. Pure TypeScript,
 * browser-safe; `kiln/runtime` re-exports all of it.
 */
export { ASSET_TYPES, LOAD_PRIORITIES, priorityRank, type AssetType, type LoadPriority } from './asset-type.js';
export { RELOAD_HANDLERS, reloadHandlerOf, type ReloadHandlerName } from './reload-handler.js';
export { PART_KINDS, partKey, samePart, type Part, type PartKind, type PartLayout } from './part.js';
export { FormatError } from './format-error.js';
export { parseEnvelope, type Envelope } from './envelope.js';
export {
  INDEX_ENTRY_NAME,
  INDEX_KIND,
  INDEX_VERSION,
  COMPRESSIONS,
  parseBundleIndex,
  type BundleIndex,
  type BundlePlatform,
  type Compression,
  type IndexAsset,
  type IndexDigest,
  type IndexEntry,
} from './index-format.js';
export { CATALOG_KIND, CATALOG_VERSION, parseCatalog, type Catalog, type CatalogAsset, type CatalogBundle } from './catalog-format.js';
export { BLOCK, readTarHeader, paxPath, type TarHeader } from './tar-header.js';
export * from './hot-reload-protocol.js';
export {
  readAssetMeta,
  gpuBytesOf,
  isAudioMeta,
  isDataMeta,
  isFontMeta,
  isModelMeta,
  isShaderMeta,
  isTextureMeta,
  isUiMeta,
  type AssetMeta,
  type AssetMetaByType,
} from './asset-meta.js';
export type { TextureMeta, TextureMipFileMeta, TextureOutputMeta } from './texture-meta.js';
export type { ModelMeta } from './model-meta.js';
export type { AnimationMeta } from './animation-meta.js';
export type { AudioMeta } from './audio-meta.js';
export type { ShaderMeta, ShaderReflectionMeta } from './shader-meta.js';
export type { MaterialMeta } from './material-meta.js';
export type { ParticleMeta } from './particle-meta.js';
export type { FontMeta, FontAtlasMeta, FontSubsetMeta, FontOutputMeta } from './font-meta.js';
export type { UiMeta, UiRectsMeta, UiOutputMeta } from './ui-meta.js';
export type { DataMeta } from './data-meta.js';
export type { ScriptMeta, SourceMapMeta, ScriptOutputMeta } from './script-meta.js';
export type { FilesMeta } from './files-meta.js';
export type { BundleTarMeta, CatalogOutputMeta, BundleOutputMeta } from './bundle-meta.js';
