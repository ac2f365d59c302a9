import { levelImageBytes, type VkFormatInfo } from './vk-formats.js';

/**
 * A texture that already arrived in a GPU container (DDS or KTX2), with its levels laid out the
 * KTX2 way: level 0 first, each level holding every layer and face of that level.
 */
export interface GpuImage {
  container: 'dds' | 'ktx2';
  vkFormat: number;
  /** Undefined for Basis Universal (vkFormat 0) and for formats kiln does not know. */
  format: VkFormatInfo | undefined;
  width: number;
  height: number;
  /** 0 for 2D textures, as in KTX2. */
  depth: number;
  /** 0 when not an array, as in KTX2. */
  layers: number;
  faces: number;
  /** Level data without supercompression (empty when the levels cannot be inflated here). */
  levels: Uint8Array[];
  /** Basis Universal payload (ETC1S or UASTC): transcoded by the runtime, never re-encoded here. */
  basis?: 'etc1s' | 'uastc';
}

export function isPlain2D(image: GpuImage): boolean {
  return image.depth <= 1 && image.layers <= 1 && image.faces === 1;
}

export function levelSize(base: number, level: number): number {
  return Math.max(1, base >> level);
}

/** Expected bytes of a whole level (every layer and face). */
export function expectedLevelBytes(format: VkFormatInfo, image: Pick<GpuImage, 'width' | 'height' | 'depth' | 'layers' | 'faces'>, level: number): number {
  const slices = Math.max(1, image.layers) * image.faces * Math.max(1, levelSize(image.depth, level));
  return levelImageBytes(format, levelSize(image.width, level), levelSize(image.height, level)) * slices;
}
