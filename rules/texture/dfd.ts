/**
 * Builds the KTX2 Data Format Descriptor for the formats kiln writes. The DFD is what lets a
 * loader that does not know a vkFormat still interpret the data, so it must match the format
 * exactly: colour model, block footprint, bytes per block and one sample per stored channel.
 */
import type { KTX2DataFormatDescriptorBasicFormat } from 'ktx-parse';
import type { VkFormatInfo } from './vk-formats.js';

const MODEL_RGBSDA = 1;
const MODEL_BC = { BC1_RGBA: 128, BC2: 129, BC3: 130, BC4: 131, BC5: 132, BC6H: 133, BC7: 134 } as const;
const MODEL_ETC2 = 161;
const MODEL_ASTC = 162;
const CH_RED = 0;
const CH_GREEN = 1;
const CH_BLUE = 2;
const CH_ALPHA = 15;
const CH_ETC2_COLOR = 2;
const QUALIFIER_LINEAR = 0x10;
const TRANSFER_LINEAR = 1;
const TRANSFER_SRGB = 2;
const PRIMARIES_BT709 = 1;

type Sample = KTX2DataFormatDescriptorBasicFormat['samples'][number];

function sample(channel: number, bitOffset: number, bitLength: number, upper: number): Sample {
  return { bitOffset, bitLength: bitLength - 1, channelType: channel, samplePosition: [0, 0, 0, 0], sampleLower: 0, sampleUpper: upper };
}

export function buildDfd(format: VkFormatInfo, premultiplied: boolean): KTX2DataFormatDescriptorBasicFormat {
  let colorModel = MODEL_RGBSDA;
  let samples: Sample[];
  const block = 0xffffffff;
  if (format.family === 'uncompressed') {
    const ids: Record<string, number> = { r: CH_RED, g: CH_GREEN, b: CH_BLUE, a: CH_ALPHA };
    samples = [...(format.channels ?? 'rgba')].map((c, i) => {
      const s = sample(ids[c]!, i * 8, 8, 255);
      // Alpha is never sRGB-encoded: flag it linear in an sRGB texture, as the KTX2 spec asks.
      if (c === 'a' && format.srgb) s.channelType |= QUALIFIER_LINEAR;
      return s;
    });
  } else if (format.name.startsWith('BC7')) {
    colorModel = MODEL_BC.BC7;
    samples = [sample(0, 0, 128, block)];
  } else if (format.name.startsWith('BC5')) {
    colorModel = MODEL_BC.BC5;
    samples = [sample(CH_RED, 0, 64, block), sample(CH_GREEN, 64, 64, block)];
  } else if (format.name.startsWith('BC4')) {
    colorModel = MODEL_BC.BC4;
    samples = [sample(CH_RED, 0, 64, block)];
  } else if (format.name.startsWith('BC1')) {
    colorModel = MODEL_BC.BC1_RGBA;
    samples = [sample(0, 0, 64, block)];
  } else if (format.name.startsWith('BC2') || format.name.startsWith('BC3')) {
    colorModel = format.name.startsWith('BC2') ? MODEL_BC.BC2 : MODEL_BC.BC3;
    samples = [sample(CH_ALPHA, 0, 64, block), sample(0, 64, 64, block)];
  } else if (format.family === 'astc') {
    colorModel = MODEL_ASTC;
    samples = [sample(0, 0, 128, block)];
  } else if (format.name.startsWith('EAC_R11G11')) {
    colorModel = MODEL_ETC2;
    samples = [sample(CH_RED, 0, 64, block), sample(CH_GREEN, 64, 64, block)];
  } else if (format.name.startsWith('EAC_R11')) {
    colorModel = MODEL_ETC2;
    samples = [sample(CH_RED, 0, 64, block)];
  } else if (format.name.startsWith('ETC2_R8G8B8A8')) {
    colorModel = MODEL_ETC2;
    const alpha = sample(CH_ALPHA, 0, 64, block);
    if (format.srgb) alpha.channelType |= QUALIFIER_LINEAR;
    samples = [alpha, sample(CH_ETC2_COLOR, 64, 64, block)];
  } else if (format.name.startsWith('ETC2')) {
    colorModel = MODEL_ETC2;
    samples = [sample(CH_ETC2_COLOR, 0, 64, block)];
  } else {
    throw new Error(`no DFD recipe for ${format.name}`);
  }
  return {
    vendorId: 0,
    descriptorType: 0,
    versionNumber: 2,
    colorModel,
    colorPrimaries: PRIMARIES_BT709,
    transferFunction: format.srgb ? TRANSFER_SRGB : TRANSFER_LINEAR,
    flags: premultiplied ? 1 : 0,
    texelBlockDimension: [format.blockWidth - 1, format.blockHeight - 1, 0, 0],
    bytesPlane: [format.blockBytes, 0, 0, 0, 0, 0, 0, 0],
    samples,
  };
}
