/**
 * A DDS reader for the formats games actually ship: FourCC DXT1–5/ATI1/ATI2, the DX10 header
 * (BC1–7, RGBA8) and uncompressed RGB(A) described by bit masks. Levels come out in KTX2 order.
 * Every inconsistency is a RuleError: a DDS header is easy to get subtly wrong and a
 * silently-wrong texture costs far more to debug than a failed cook.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import { expectedLevelBytes, type GpuImage } from './gpu-image.js';
import { vkFormatByName, type VkFormatInfo } from './vk-formats.js';

const DDSD_DEPTH = 0x800000;
const DDSCAPS2_CUBEMAP = 0x200;
const DDSCAPS2_CUBEMAP_ALLFACES = 0xfc00;
const DDSCAPS2_VOLUME = 0x200000;
const DDPF_ALPHAPIXELS = 0x1;
const DDPF_FOURCC = 0x4;
const DDPF_RGB = 0x40;
const DDPF_LUMINANCE = 0x20000;

const FOURCC: Record<string, string> = {
  DXT1: 'BC1_RGBA_UNORM',
  DXT2: 'BC2_UNORM',
  DXT3: 'BC2_UNORM',
  DXT5: 'BC3_UNORM',
  ATI1: 'BC4_UNORM',
  BC4U: 'BC4_UNORM',
  ATI2: 'BC5_UNORM',
  BC5U: 'BC5_UNORM',
};

const DXGI: Record<number, string> = {
  2: 'R32G32B32A32_SFLOAT',
  10: 'R16G16B16A16_SFLOAT',
  26: 'B10G11R11_UFLOAT_PACK32',
  28: 'R8G8B8A8_UNORM',
  29: 'R8G8B8A8_SRGB',
  49: 'R8G8_UNORM',
  61: 'R8_UNORM',
  67: 'E5B9G9R9_UFLOAT_PACK32',
  71: 'BC1_RGBA_UNORM',
  72: 'BC1_RGBA_SRGB',
  74: 'BC2_UNORM',
  75: 'BC2_SRGB',
  77: 'BC3_UNORM',
  78: 'BC3_SRGB',
  80: 'BC4_UNORM',
  81: 'BC4_SNORM',
  83: 'BC5_UNORM',
  84: 'BC5_SNORM',
  87: 'B8G8R8A8_UNORM',
  91: 'B8G8R8A8_SRGB',
  95: 'BC6H_UFLOAT',
  96: 'BC6H_SFLOAT',
  98: 'BC7_UNORM',
  99: 'BC7_SRGB',
};

function maskedFormat(bits: number, r: number, g: number, b: number, a: number, flags: number): string | undefined {
  const alpha = (flags & DDPF_ALPHAPIXELS) !== 0 ? a : 0;
  if (bits === 32 && r === 0xff && g === 0xff00 && b === 0xff0000 && alpha === 0xff000000) return 'R8G8B8A8_UNORM';
  if (bits === 32 && r === 0xff0000 && g === 0xff00 && b === 0xff && alpha === 0xff000000) return 'B8G8R8A8_UNORM';
  if (bits === 24 && r === 0xff0000 && g === 0xff00 && b === 0xff) return 'B8G8R8_UNORM';
  if (bits === 24 && r === 0xff && g === 0xff00 && b === 0xff0000) return 'R8G8B8_UNORM';
  if (bits === 8 && (flags & DDPF_LUMINANCE) !== 0 && r === 0xff) return 'R8_UNORM';
  return undefined;
}

export function readDds(bytes: Uint8Array): GpuImage {
  const fail = (why: string): never => {
    throw new RuleError(`invalid DDS file: ${why}`);
  };
  if (bytes.byteLength < 128) fail(`${bytes.byteLength} bytes is shorter than the 128-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'DDS ') fail(`wrong signature "${magic}" (expected "DDS ")`);
  if (view.getUint32(4, true) !== 124) fail(`header size ${view.getUint32(4, true)} (expected 124)`);
  const flags = view.getUint32(8, true);
  const height = view.getUint32(12, true);
  const width = view.getUint32(16, true);
  let depth = (flags & DDSD_DEPTH) !== 0 ? view.getUint32(24, true) : 0;
  const mipCount = Math.max(1, view.getUint32(28, true));
  const pfFlags = view.getUint32(80, true);
  const fourCC = String.fromCharCode(...bytes.subarray(84, 88));
  const caps2 = view.getUint32(112, true);
  if (width === 0 || height === 0) fail(`empty image ${width}×${height}`);
  let offset = 128;
  let formatName: string | undefined;
  let layers = 0;
  let faces = 1;
  const volume = (caps2 & DDSCAPS2_VOLUME) !== 0;
  if ((caps2 & DDSCAPS2_CUBEMAP) !== 0) {
    if ((caps2 & DDSCAPS2_CUBEMAP_ALLFACES) !== DDSCAPS2_CUBEMAP_ALLFACES) fail('cube map with missing faces');
    faces = 6;
  }
  if (depth > 1 && !volume) fail(`depth ${depth} set on a texture that is not a volume`);
  if ((pfFlags & DDPF_FOURCC) !== 0 && fourCC === 'DX10') {
    if (bytes.byteLength < 148) fail('truncated DX10 header');
    const dxgi = view.getUint32(128, true);
    const dimension = view.getUint32(132, true);
    const miscFlag = view.getUint32(136, true);
    const arraySize = view.getUint32(140, true);
    offset = 148;
    formatName = DXGI[dxgi];
    if (!formatName) fail(`DXGI format ${dxgi} is not supported`);
    if (dimension < 2 || dimension > 4) fail(`invalid resource dimension ${dimension}`);
    if (dimension !== 4 && depth > 1) fail(`depth ${depth} set on a ${dimension - 1}D texture`);
    if ((miscFlag & 0x4) !== 0) faces = 6;
    if (arraySize === 0) fail('array size 0');
    if (arraySize > 1) layers = arraySize;
    if (dimension === 4 && depth <= 1) depth = 1;
  } else if ((pfFlags & DDPF_FOURCC) !== 0) {
    formatName = FOURCC[fourCC];
    if (!formatName) fail(`FourCC "${fourCC.replace(/[^\x20-\x7e]/g, '?')}" is not supported`);
  } else if ((pfFlags & (DDPF_RGB | DDPF_LUMINANCE)) !== 0) {
    formatName = maskedFormat(
      view.getUint32(88, true),
      view.getUint32(92, true),
      view.getUint32(96, true),
      view.getUint32(100, true),
      view.getUint32(104, true),
      pfFlags,
    );
    if (!formatName) fail(`uncompressed pixel layout (${view.getUint32(88, true)} bits, masks) is not supported`);
  } else {
    fail(`unknown pixel format (flags 0x${pfFlags.toString(16)})`);
  }
  const format: VkFormatInfo = vkFormatByName(formatName!);
  const maxLevels = Math.floor(Math.log2(Math.max(width, height, depth || 1))) + 1;
  if (mipCount > maxLevels) fail(`${mipCount} mip levels for a ${width}×${height} texture (at most ${maxLevels})`);
  const shape = { width, height, depth: volume ? depth : 0, layers, faces };
  // DDS stores each layer/face with its whole mip chain; KTX2 wants each level with every layer/face.
  const slices = Math.max(1, layers) * faces;
  const perLevel = Array.from({ length: mipCount }, (_, level) => expectedLevelBytes(format, shape, level) / slices);
  const total = perLevel.reduce((a, b) => a + b, 0) * slices;
  if (bytes.byteLength - offset < total) fail(`truncated: ${bytes.byteLength - offset} bytes of image data, ${total} expected`);
  const levels = perLevel.map((size) => new Uint8Array(size * slices));
  let cursor = offset;
  for (let slice = 0; slice < slices; slice++) {
    for (let level = 0; level < mipCount; level++) {
      const size = perLevel[level]!;
      levels[level]!.set(bytes.subarray(cursor, cursor + size), slice * size);
      cursor += size;
    }
  }
  return { container: 'dds', vkFormat: format.vkFormat, format, ...shape, levels };
}
