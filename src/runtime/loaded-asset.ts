/**
 * What `load` and `stream` hand out, per asset type. Arrays are indexed by mip level / LOD /
 * chunk number; while streaming, entries not yet arrived are undefined.
 */
import type { AssetType, LoadPriority } from '../rule/asset-type.js';

interface AssetBase {
  id: string;
  label: string;
  priority: LoadPriority;
  /** Facts the cooking rule recorded (dimensions, formats, sample rates…). */
  meta: Record<string, unknown>;
}

export interface TextureMip {
  level: number;
  width: number;
  height: number;
  bytes: Uint8Array;
}

export interface LoadedTexture extends AssetBase {
  type: 'texture';
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
  /** GLB bytes per LOD; index 0 = finest. */
  lods: (Uint8Array | undefined)[];
  /** Finest LOD present. */
  bestLod: number;
}

export interface LoadedAudio extends AssetBase {
  type: 'audio';
  /** Encoded chunks in play order. */
  chunks: (Uint8Array | undefined)[];
  /** Chunks present from the start without a gap. */
  playableChunks: number;
}

export interface LoadedData extends AssetBase {
  type: 'data';
  /** Parsed JSON for `.json` outputs, else the raw bytes. */
  value: unknown;
  /** Size of the encoded data (what the memory cache charges for it). */
  byteLength: number;
}

export interface LoadedBytes extends AssetBase {
  type: Exclude<AssetType, 'texture' | 'model' | 'audio' | 'data'>;
  bytes: Uint8Array;
}

export type LoadedAsset = LoadedTexture | LoadedModel | LoadedAudio | LoadedData | LoadedBytes;
