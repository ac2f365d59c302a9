/** What a texture's outputs carry: the main output (KTX2, or the first PNG/WebP mip file) and further mip files. */
import { meta, readSpec, readOneOf, type MetaOf } from './meta-spec.js';

export const TEXTURE_META = {
  width: meta.int,
  height: meta.int,
  /** kiln's name for the result: bc7, bc5, bc4, astc, etc2, eac, basis-uastc, basis-etc1s, rgba8, png, webp, or a passed-through format. */
  format: meta.string,
  vkFormat: meta.int,
  mipCount: meta.int,
  /** GPU bytes of the full chain: what the runtime charges against its GPU budget. */
  gpuBytes: meta.int,
  colorSpace: meta.literal('srgb', 'linear'),
  container: meta.literal('ktx2', 'png', 'webp'),
  alpha: meta.boolean,
  normalMap: meta.optional(meta.boolean),
  normalEncoding: meta.optional(meta.literal('xy', 'xyz')),
  layers: meta.optional(meta.int),
  faces: meta.optional(meta.int),
  /** Image-file textures: one output per mip level, these names, level 0 first. */
  mipFiles: meta.optional(meta.list(meta.string)),
  /** The picture's own size when block alignment padded level 0 (the rest is padding). */
  contentWidth: meta.optional(meta.int),
  contentHeight: meta.optional(meta.int),
};
export type TextureMeta = MetaOf<typeof TEXTURE_META>;

/** A further mip level of an image-file texture. */
export const TEXTURE_MIP_FILE_META = { mipLevel: meta.int, width: meta.int, height: meta.int };
export type TextureMipFileMeta = MetaOf<typeof TEXTURE_MIP_FILE_META>;

export type TextureOutputMeta = TextureMeta | TextureMipFileMeta;

export function readTextureMeta(value: unknown, where: string): TextureOutputMeta {
  return readOneOf<TextureOutputMeta>([(v, w) => readSpec(TEXTURE_META, v, w), (v, w) => readSpec(TEXTURE_MIP_FILE_META, v, w)], value, where);
}
