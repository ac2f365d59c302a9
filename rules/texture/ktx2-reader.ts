/**
 * Reads a KTX2 file into a GpuImage. ktx-parse does the parsing; this adds the checks it leaves
 * out (level sizes, truncation, KTX1 files, swizzles) and inflates Zstandard/zlib
 * supercompression so uncompressed textures can be re-cooked. Basis payloads stay as they are.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import { expectedLevelBytes, type GpuImage } from './gpu-image.js';
import { vkFormatInfo } from './vk-formats.js';

const KTX1_ID = [0xab, 0x4b, 0x54, 0x58, 0x20, 0x31, 0x31, 0xbb];
const SUPERCOMPRESSION_BASISLZ = 1;
const SUPERCOMPRESSION_ZSTD = 2;
const SUPERCOMPRESSION_ZLIB = 3;
const MODEL_ETC1S = 163;
const MODEL_UASTC = 166;

export function isKtx1(bytes: Uint8Array): boolean {
  return KTX1_ID.every((b, i) => bytes[i] === b);
}

export async function readKtx2(bytes: Uint8Array): Promise<GpuImage> {
  const fail = (why: string): never => {
    throw new RuleError(`invalid KTX2 file: ${why}`);
  };
  if (isKtx1(bytes)) fail('this is a KTX 1.x file; only KTX2 is supported (convert it with `ktx convert` or re-export)');
  const { read } = await import('ktx-parse');
  let container: ReturnType<typeof read>;
  try {
    container = read(bytes);
  } catch (error) {
    return fail((error as Error).message);
  }
  const { pixelWidth: width, pixelHeight: height, pixelDepth: depth, layerCount: layers, faceCount: faces } = container;
  if (width === 0) fail('pixelWidth is 0');
  if (faces !== 1 && faces !== 6) fail(`faceCount ${faces} (must be 1 or 6)`);
  const swizzle = container.keyValue['KTXswizzle'];
  if (swizzle !== undefined) {
    const text = typeof swizzle === 'string' ? swizzle : new TextDecoder().decode(swizzle).replace(/\0+$/, '');
    if (!/^[rgba01]{4}$/.test(text)) fail(`KTXswizzle "${text}" is not a valid swizzle`);
    if (text !== 'rgba') fail(`KTXswizzle "${text}" is not supported: kiln cannot honour channel swizzles; store the channels in order`);
  }
  const model = container.dataFormatDescriptor[0]?.colorModel;
  const scheme = container.supercompressionScheme;
  const image: GpuImage = {
    container: 'ktx2',
    vkFormat: container.vkFormat,
    format: vkFormatInfo(container.vkFormat),
    width,
    height: Math.max(1, height),
    depth,
    layers,
    faces,
    levels: [],
  };
  if (container.vkFormat === 0) {
    if (model === MODEL_ETC1S || scheme === SUPERCOMPRESSION_BASISLZ) image.basis = 'etc1s';
    else if (model === MODEL_UASTC) image.basis = 'uastc';
    else fail(`vkFormat UNDEFINED with colour model ${model} is neither Basis ETC1S nor UASTC`);
    return image;
  }
  if (!image.format) return image;
  const format = image.format;
  for (let level = 0; level < container.levels.length; level++) {
    const data = container.levels[level]!.levelData;
    let raw: Uint8Array = data;
    if (scheme === SUPERCOMPRESSION_ZSTD) {
      const { decompress } = await import('fzstd');
      try {
        raw = decompress(data);
      } catch (error) {
        fail(`level ${level}: Zstandard data is corrupt (${(error as Error).message})`);
      }
    } else if (scheme === SUPERCOMPRESSION_ZLIB) {
      const { inflateSync } = await import('node:zlib');
      try {
        raw = new Uint8Array(inflateSync(data));
      } catch (error) {
        fail(`level ${level}: zlib data is corrupt (${(error as Error).message})`);
      }
    } else if (scheme !== 0) {
      fail(`supercompression scheme ${scheme} is not supported`);
    }
    const expected = expectedLevelBytes(format, image, level);
    if (raw.byteLength !== expected) fail(`level ${level} holds ${raw.byteLength} bytes, ${expected} expected for ${format.name}`);
    image.levels.push(raw);
  }
  if (image.levels.length === 0) fail('no mip levels');
  return image;
}
