/**
 * What `load` and `stream` hand out, per asset type: the whole asset, every output the rule
 * cooked (all mips, LODs, chunks; a font's metrics and atlas; a UI atlas and its rects; every
 * shader variant). Arrays are indexed by mip level / LOD / chunk number; while streaming, entries
 * not yet arrived are undefined.
 */
import type { AssetMeta } from '../format/asset-meta.js';
import type { AssetType, LoadPriority } from '../format/asset-type.js';
import type { AudioMeta } from '../format/audio-meta.js';
import type { DataMeta } from '../format/data-meta.js';
import type { FontMeta } from '../format/font-meta.js';
import type { ModelMeta } from '../format/model-meta.js';
import type { ShaderMeta } from '../format/shader-meta.js';
import type { TextureMeta } from '../format/texture-meta.js';
import type { UiMeta } from '../format/ui-meta.js';

interface AssetBase {
  id: string;
  label: string;
  priority: LoadPriority;
  /**
   * Every output without streaming parts, by output name, verified (a font's atlas PNG and
   * subset, a UI atlas's rects JSON, each shader variant, a script's source map…). Outputs with
   * parts are in the typed fields (mips, lods, chunks) instead.
   */
  outputs: Record<string, Uint8Array>;
}

export interface TextureMip {
  level: number;
  width: number;
  height: number;
  bytes: Uint8Array;
}

export interface LoadedTexture extends AssetBase {
  type: 'texture';
  /** The main output's meta as the texture rule wrote it (checked when the index was read). */
  meta: TextureMeta;
  width: number;
  height: number;
  /** Pixel / block format as the texture rule names it (`rgba8`, `bc7`, `astc`, `png`…). */
  format: string;
  vkFormat: number;
  mipCount: number;
  /** Bytes the texture takes on the GPU once all mips are uploaded. */
  gpuBytes: number;
  /** Index = mip level (0 = full size). */
  mips: (TextureMip | undefined)[];
  /** Finest mip level present (mipCount when none yet). */
  baseLevel: number;
}

export interface LoadedModel extends AssetBase {
  type: 'model';
  /** LOD 0's meta: bounds, texture references, and every LOD's summary in `lods`. */
  meta: ModelMeta;
  /** GLB bytes per LOD; index 0 = finest. */
  lods: (Uint8Array | undefined)[];
  /** Finest LOD present. */
  bestLod: number;
}

export interface LoadedAudio extends AssetBase {
  type: 'audio';
  meta: AudioMeta;
  /** Encoded chunks in play order. */
  chunks: (Uint8Array | undefined)[];
  /** Chunks present from the start without a gap. */
  playableChunks: number;
}

export interface LoadedData extends AssetBase {
  type: 'data';
  /** `refs`: the label strings in the data, resolved to asset ids. */
  meta: DataMeta;
  /** Parsed JSON for `.json` outputs, else the raw bytes. */
  value: unknown;
  /** Size of the encoded data (what the memory cache charges for it). */
  byteLength: number;
}

export interface LoadedFont extends AssetBase {
  type: 'font';
  meta: FontMeta;
  /** The main output: glyph metrics JSON, as bytes. */
  bytes: Uint8Array;
  /** Parsed glyph metrics (`glyphs`, `kerning`, line metrics…). */
  metrics: unknown;
  /** The glyph atlas PNG (name in `meta.atlas`); undefined until it arrives. */
  atlas: Uint8Array | undefined;
  /** The subset font file, when the target cooks one. */
  subset: Uint8Array | undefined;
}

export interface LoadedUi extends AssetBase {
  type: 'ui';
  meta: UiMeta;
  /** The main output: the atlas PNG. */
  bytes: Uint8Array;
  atlas: Uint8Array;
  /** Parsed rectangles JSON (name in `meta.rects`): `{ width, height, sprites: { name: rect } }`. */
  rects: unknown;
}

export interface ShaderVariant {
  /** Variant name (`default` when the target declares none). */
  name: string;
  output: string;
  bytes: Uint8Array;
  meta: ShaderMeta;
}

export interface LoadedShader extends AssetBase {
  type: 'shader';
  /** The first variant's meta. */
  meta: ShaderMeta;
  /** The first variant's bytes (the main output). */
  bytes: Uint8Array;
  /** Every variant, by variant name, in the order the target declares them. */
  variants: Record<string, ShaderVariant>;
}

export interface LoadedBytes extends AssetBase {
  type: Exclude<AssetType, 'texture' | 'model' | 'audio' | 'data' | 'font' | 'ui' | 'shader'>;
  /** The main output's meta; undefined for a target that wrote no output. */
  meta: AssetMeta | undefined;
  bytes: Uint8Array;
}

export type LoadedAsset = LoadedTexture | LoadedModel | LoadedAudio | LoadedData | LoadedFont | LoadedUi | LoadedShader | LoadedBytes;
