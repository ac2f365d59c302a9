/** The facts every texture output carries for the bundle index, the runtime and the summary. */
import type { TextureMeta } from '../../src/format/texture-meta.js';
import type { PartLayout } from '../../src/rule/output.js';
import { levelSize } from './gpu-image.js';
import { levelImageBytes, type VkFormatInfo } from './vk-formats.js';

export interface TextureMetaInput {
  width: number;
  height: number;
  /** kiln's name for the result: bc7, bc5, bc4, astc, etc2, eac, basis-uastc, basis-etc1s, rgba8, png, webp, or the passed-through format. */
  format: string;
  vkFormat: number;
  mipCount: number;
  gpuBytes: number;
  colorSpace: 'srgb' | 'linear';
  container: 'ktx2' | 'png' | 'webp';
  hasAlpha: boolean;
  normalMap?: boolean;
  normalEncoding?: 'xy' | 'xyz';
  layers?: number;
  faces?: number;
  parts?: PartLayout[];
  mipFiles?: string[];
  contentWidth?: number;
  contentHeight?: number;
}

export function textureMeta(input: TextureMetaInput): TextureMeta & { parts?: PartLayout[] } {
  const meta: TextureMeta & { parts?: PartLayout[] } = {
    width: input.width,
    height: input.height,
    format: input.format,
    vkFormat: input.vkFormat,
    mipCount: input.mipCount,
    gpuBytes: input.gpuBytes,
    colorSpace: input.colorSpace,
    container: input.container,
    alpha: input.hasAlpha,
  };
  if (input.normalMap) meta.normalMap = true;
  if (input.normalEncoding) meta.normalEncoding = input.normalEncoding;
  if (input.layers && input.layers > 1) meta.layers = input.layers;
  if (input.faces && input.faces > 1) meta.faces = input.faces;
  if (input.mipFiles) meta.mipFiles = input.mipFiles;
  if (input.contentWidth !== undefined) meta.contentWidth = input.contentWidth;
  if (input.contentHeight !== undefined) meta.contentHeight = input.contentHeight;
  if (input.parts) meta.parts = input.parts;
  return meta;
}

/** GPU memory of a full chain in a block format: what the runtime charges against its VRAM budget. */
export function chainGpuBytes(format: VkFormatInfo, width: number, height: number, levels: number, slices = 1): number {
  let total = 0;
  for (let level = 0; level < levels; level++) total += levelImageBytes(format, levelSize(width, level), levelSize(height, level)) * slices;
  return total;
}

export function hasTransparency(data: Uint8Array): boolean {
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return true;
  return false;
}
