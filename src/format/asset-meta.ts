/**
 * The typed meta of every asset type's outputs, and the one reader that checks untrusted meta
 * (from a bundle index or the watch server) against the asset's type. The runtime calls it once,
 * where it parses what came from outside, and reads typed fields from then on.
 */
import type { AssetType } from './asset-type.js';
import { readAnimationMeta, type AnimationMeta } from './animation-meta.js';
import { readAudioMeta, type AudioMeta } from './audio-meta.js';
import { readBundleMeta, type BundleOutputMeta } from './bundle-meta.js';
import { readDataMeta, type DataMeta } from './data-meta.js';
import { readFilesMeta, type FilesMeta } from './files-meta.js';
import { readFontMeta, type FontMeta, type FontOutputMeta } from './font-meta.js';
import { readMaterialMeta, type MaterialMeta } from './material-meta.js';
import { readModelMeta, type ModelMeta } from './model-meta.js';
import { readParticleMeta, type ParticleMeta } from './particle-meta.js';
import { readScriptMeta, type ScriptOutputMeta } from './script-meta.js';
import { readShaderMeta, type ShaderMeta } from './shader-meta.js';
import { readTextureMeta, type TextureMeta, type TextureOutputMeta } from './texture-meta.js';
import { readUiMeta, type UiMeta, type UiOutputMeta } from './ui-meta.js';

/** Meta of one output, by the type of the asset it belongs to. */
export interface AssetMetaByType {
  texture: TextureOutputMeta;
  model: ModelMeta;
  animation: AnimationMeta;
  audio: AudioMeta;
  shader: ShaderMeta;
  material: MaterialMeta;
  particle: ParticleMeta;
  font: FontOutputMeta;
  ui: UiOutputMeta;
  data: DataMeta;
  script: ScriptOutputMeta;
  files: FilesMeta;
  bundle: BundleOutputMeta;
}

/** Meta of any output. */
export type AssetMeta = AssetMetaByType[AssetType];

const READERS: { [T in AssetType]: (value: unknown, where: string) => AssetMetaByType[T] } = {
  texture: readTextureMeta,
  model: readModelMeta,
  animation: readAnimationMeta,
  audio: readAudioMeta,
  shader: readShaderMeta,
  material: readMaterialMeta,
  particle: readParticleMeta,
  font: readFontMeta,
  ui: readUiMeta,
  data: readDataMeta,
  script: readScriptMeta,
  files: readFilesMeta,
  bundle: readBundleMeta,
};

/** GPU bytes an output declares: a texture's full chain, 0 for everything else. */
export function gpuBytesOf(meta: AssetMeta): number {
  return 'gpuBytes' in meta ? meta.gpuBytes : 0;
}

/** Checks untrusted meta against the asset type's specs; throws a FormatError naming the field. */
export function readAssetMeta<T extends AssetType>(type: T, value: unknown, where: string): AssetMetaByType[T] {
  return READERS[type](value, where);
}

/*
 * The main output's meta of each typed asset, told apart from the type's other outputs (a
 * texture's further mip files, a font's atlas…) by a field only the main spec has. Meta read by
 * `readAssetMeta` is exactly one spec, so the field decides.
 */
export const isTextureMeta = (m: AssetMeta): m is TextureMeta => 'vkFormat' in m;
export const isModelMeta = (m: AssetMeta): m is ModelMeta => 'lodCount' in m;
export const isAudioMeta = (m: AssetMeta): m is AudioMeta => 'sampleRate' in m;
export const isShaderMeta = (m: AssetMeta): m is ShaderMeta => 'reflection' in m;
export const isFontMeta = (m: AssetMeta): m is FontMeta => 'glyphs' in m;
export const isUiMeta = (m: AssetMeta): m is UiMeta => 'sprites' in m;
export const isDataMeta = (m: AssetMeta): m is DataMeta => 'refs' in m;
