/**
 * The GPU formats kiln reads and writes, keyed by Vulkan format number (what KTX2 stores).
 * Hard-coded rather than imported from ktx-parse so that planning a cook (and `kiln rules`)
 * never loads a codec library; a test checks the numbers against ktx-parse's constants.
 */

/** Which GPUs can sample a format: the unit of the "unsupported format for the platform" check. */
export type FormatFamily = 'bc' | 'astc' | 'etc2' | 'basis' | 'uncompressed' | 'hdr';

export interface VkFormatInfo {
  vkFormat: number;
  name: string;
  family: FormatFamily;
  /** Block footprint in texels (1×1 for uncompressed formats). */
  blockWidth: number;
  blockHeight: number;
  /** Bytes per block (bytes per texel for uncompressed formats). */
  blockBytes: number;
  srgb: boolean;
  /** Channels an uncompressed format stores, in memory order; undefined for block formats. */
  channels?: string;
}

const table: VkFormatInfo[] = [];
function add(vkFormat: number, name: string, family: FormatFamily, bw: number, bh: number, bytes: number, srgb: boolean, channels?: string): void {
  table.push({ vkFormat, name, family, blockWidth: bw, blockHeight: bh, blockBytes: bytes, srgb, ...(channels ? { channels } : {}) });
}

add(9, 'R8_UNORM', 'uncompressed', 1, 1, 1, false, 'r');
add(15, 'R8_SRGB', 'uncompressed', 1, 1, 1, true, 'r');
add(16, 'R8G8_UNORM', 'uncompressed', 1, 1, 2, false, 'rg');
add(22, 'R8G8_SRGB', 'uncompressed', 1, 1, 2, true, 'rg');
add(23, 'R8G8B8_UNORM', 'uncompressed', 1, 1, 3, false, 'rgb');
add(29, 'R8G8B8_SRGB', 'uncompressed', 1, 1, 3, true, 'rgb');
add(30, 'B8G8R8_UNORM', 'uncompressed', 1, 1, 3, false, 'bgr');
add(36, 'B8G8R8_SRGB', 'uncompressed', 1, 1, 3, true, 'bgr');
add(37, 'R8G8B8A8_UNORM', 'uncompressed', 1, 1, 4, false, 'rgba');
add(43, 'R8G8B8A8_SRGB', 'uncompressed', 1, 1, 4, true, 'rgba');
add(44, 'B8G8R8A8_UNORM', 'uncompressed', 1, 1, 4, false, 'bgra');
add(50, 'B8G8R8A8_SRGB', 'uncompressed', 1, 1, 4, true, 'bgra');
add(97, 'R16G16B16A16_SFLOAT', 'hdr', 1, 1, 8, false);
add(109, 'R32G32B32A32_SFLOAT', 'hdr', 1, 1, 16, false);
add(122, 'B10G11R11_UFLOAT_PACK32', 'hdr', 1, 1, 4, false);
add(123, 'E5B9G9R9_UFLOAT_PACK32', 'hdr', 1, 1, 4, false);
add(131, 'BC1_RGB_UNORM', 'bc', 4, 4, 8, false);
add(132, 'BC1_RGB_SRGB', 'bc', 4, 4, 8, true);
add(133, 'BC1_RGBA_UNORM', 'bc', 4, 4, 8, false);
add(134, 'BC1_RGBA_SRGB', 'bc', 4, 4, 8, true);
add(135, 'BC2_UNORM', 'bc', 4, 4, 16, false);
add(136, 'BC2_SRGB', 'bc', 4, 4, 16, true);
add(137, 'BC3_UNORM', 'bc', 4, 4, 16, false);
add(138, 'BC3_SRGB', 'bc', 4, 4, 16, true);
add(139, 'BC4_UNORM', 'bc', 4, 4, 8, false);
add(140, 'BC4_SNORM', 'bc', 4, 4, 8, false);
add(141, 'BC5_UNORM', 'bc', 4, 4, 16, false);
add(142, 'BC5_SNORM', 'bc', 4, 4, 16, false);
add(143, 'BC6H_UFLOAT', 'bc', 4, 4, 16, false);
add(144, 'BC6H_SFLOAT', 'bc', 4, 4, 16, false);
add(145, 'BC7_UNORM', 'bc', 4, 4, 16, false);
add(146, 'BC7_SRGB', 'bc', 4, 4, 16, true);
add(147, 'ETC2_R8G8B8_UNORM', 'etc2', 4, 4, 8, false);
add(148, 'ETC2_R8G8B8_SRGB', 'etc2', 4, 4, 8, true);
add(149, 'ETC2_R8G8B8A1_UNORM', 'etc2', 4, 4, 8, false);
add(150, 'ETC2_R8G8B8A1_SRGB', 'etc2', 4, 4, 8, true);
add(151, 'ETC2_R8G8B8A8_UNORM', 'etc2', 4, 4, 16, false);
add(152, 'ETC2_R8G8B8A8_SRGB', 'etc2', 4, 4, 16, true);
add(153, 'EAC_R11_UNORM', 'etc2', 4, 4, 8, false);
add(154, 'EAC_R11_SNORM', 'etc2', 4, 4, 8, false);
add(155, 'EAC_R11G11_UNORM', 'etc2', 4, 4, 16, false);
add(156, 'EAC_R11G11_SNORM', 'etc2', 4, 4, 16, false);

/** ASTC block sizes in Vulkan order; UNORM is 157 + 2·i, SRGB one more. */
export const ASTC_BLOCKS = ['4x4', '5x4', '5x5', '6x5', '6x6', '8x5', '8x6', '8x8', '10x5', '10x6', '10x8', '10x10', '12x10', '12x12'] as const;
export type AstcBlock = (typeof ASTC_BLOCKS)[number];
ASTC_BLOCKS.forEach((block, i) => {
  const [w, h] = block.split('x').map(Number) as [number, number];
  add(157 + 2 * i, `ASTC_${block}_UNORM`, 'astc', w, h, 16, false);
  add(158 + 2 * i, `ASTC_${block}_SRGB`, 'astc', w, h, 16, true);
});

const byNumber = new Map(table.map((info) => [info.vkFormat, info]));
const byName = new Map(table.map((info) => [info.name, info]));

export function vkFormatInfo(vkFormat: number): VkFormatInfo | undefined {
  return byNumber.get(vkFormat);
}

export function vkFormatByName(name: string): VkFormatInfo {
  const info = byName.get(name);
  if (!info) throw new Error(`unknown format ${name}`);
  return info;
}

/** Bytes of one image (one face/layer) of a level of `width`×`height` texels. */
export function levelImageBytes(info: VkFormatInfo, width: number, height: number): number {
  return Math.ceil(width / info.blockWidth) * Math.ceil(height / info.blockHeight) * info.blockBytes;
}

export function astcVkFormat(block: AstcBlock, srgb: boolean): number {
  return 157 + 2 * ASTC_BLOCKS.indexOf(block) + (srgb ? 1 : 0);
}
