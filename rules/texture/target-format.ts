/**
 * Picks the exact GPU format for a texture on a platform: desktop BC7, or BC5 for normal maps
 * (two channels at full precision, Z rebuilt in the shader) and BC4 for single-channel linear
 * data; mobile ASTC at the configured block size, or ETC2/EAC on the fallback profile.
 */
import type { BlockFormat } from './codecs.js';
import type { ColorRole } from './color-role.js';
import type { TextureFormat } from './platform-settings.js';
import { astcVkFormat, vkFormatByName, vkFormatInfo, type AstcBlock, type VkFormatInfo } from './vk-formats.js';

export type TargetFormat =
  | { kind: 'blocks'; block: BlockFormat; vk: VkFormatInfo; normalEncoding?: 'xy' | 'xyz' }
  | { kind: 'basis'; mode: 'uastc' | 'etc1s' }
  | { kind: 'rgba8'; vk: VkFormatInfo }
  | { kind: 'image'; ext: 'png' | 'webp' };

export interface TargetFormatInput {
  format: TextureFormat;
  role: ColorRole;
  /** Grey source without alpha. */
  singleChannel: boolean;
  hasAlpha: boolean;
  astcBlock: AstcBlock;
  basisMode: 'uastc' | 'etc1s';
}

export function chooseTargetFormat(input: TargetFormatInput): TargetFormat {
  const srgb = input.role.colorSpace === 'srgb';
  const linearMono = input.singleChannel && !srgb;
  switch (input.format) {
    case 'bc7':
      if (input.role.normalMap) return { kind: 'blocks', block: 'bc5', vk: vkFormatByName('BC5_UNORM'), normalEncoding: 'xy' };
      if (linearMono) return { kind: 'blocks', block: 'bc4', vk: vkFormatByName('BC4_UNORM') };
      return { kind: 'blocks', block: 'bc7', vk: vkFormatByName(srgb ? 'BC7_SRGB' : 'BC7_UNORM') };
    case 'astc':
      return { kind: 'blocks', block: 'astc', vk: vkFormatInfo(astcVkFormat(input.astcBlock, srgb))!, ...(input.role.normalMap ? { normalEncoding: 'xyz' as const } : {}) };
    case 'etc2':
      if (input.role.normalMap) return { kind: 'blocks', block: 'eac-rg11', vk: vkFormatByName('EAC_R11G11_UNORM'), normalEncoding: 'xy' };
      if (linearMono) return { kind: 'blocks', block: 'eac-r11', vk: vkFormatByName('EAC_R11_UNORM') };
      if (input.hasAlpha) return { kind: 'blocks', block: 'etc2-rgba', vk: vkFormatByName(srgb ? 'ETC2_R8G8B8A8_SRGB' : 'ETC2_R8G8B8A8_UNORM') };
      return { kind: 'blocks', block: 'etc2-rgb', vk: vkFormatByName(srgb ? 'ETC2_R8G8B8_SRGB' : 'ETC2_R8G8B8_UNORM') };
    case 'basis':
      return { kind: 'basis', mode: input.basisMode };
    case 'rgba8':
      return { kind: 'rgba8', vk: vkFormatByName(srgb ? 'R8G8B8A8_SRGB' : 'R8G8B8A8_UNORM') };
    case 'png':
    case 'webp':
      return { kind: 'image', ext: input.format };
  }
}

/** RGBA channels a block format keeps, for PSNR. */
export function comparedChannels(block: BlockFormat, hasAlpha: boolean): number[] {
  if (block === 'bc4' || block === 'eac-r11') return [0];
  if (block === 'bc5' || block === 'eac-rg11') return [0, 1];
  return hasAlpha ? [0, 1, 2, 3] : [0, 1, 2];
}
