/** Encodes every mip level with a block encoder and checks each result has exactly the bytes the format needs. */
import { codecFor, type EncodeEffort, type TextureCodecs } from './codecs.js';
import type { RgbaImage } from './decode-image.js';
import { psnr } from './psnr.js';
import { comparedChannels, type TargetFormat } from './target-format.js';
import { levelImageBytes, type AstcBlock } from './vk-formats.js';

export interface EncodedLevels {
  levels: Uint8Array[];
  encoder: string;
  /** dB against the level-0 input of the encoder; undefined when the encoder cannot decode. */
  psnr: number | undefined;
}

export async function encodeBlockLevels(
  codecs: TextureCodecs,
  mips: RgbaImage[],
  target: Extract<TargetFormat, { kind: 'blocks' }>,
  options: { effort: EncodeEffort; astcBlock: AstcBlock; dir: string; hasAlpha: boolean },
): Promise<EncodedLevels> {
  const codec = codecFor(codecs, target.block);
  const levels: Uint8Array[] = [];
  let quality: number | undefined;
  for (const [index, image] of mips.entries()) {
    const result = await codec.encode({
      image,
      format: target.block,
      srgb: target.vk.srgb,
      astcBlock: options.astcBlock,
      effort: options.effort,
      dir: options.dir,
      decode: index === 0,
    });
    const expected = levelImageBytes(target.vk, image.width, image.height);
    if (result.blocks.byteLength !== expected) {
      throw new Error(`${codec.name} produced ${result.blocks.byteLength} bytes for a ${image.width}×${image.height} ${target.vk.name} level, expected ${expected}`);
    }
    levels.push(result.blocks);
    if (index === 0 && result.decoded) quality = psnr(image, result.decoded, comparedChannels(target.block, options.hasAlpha));
  }
  return { levels, encoder: codec.name, psnr: quality };
}
