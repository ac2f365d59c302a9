/**
 * Block-compressed formats store 4×4 (BC, ETC2/EAC, Basis — which transcodes to those) or the
 * ASTC footprint's texels per block. WebGL refuses a BPTC/RGTC/S3TC upload whose level 0 is not a
 * multiple of 4 (INVALID_OPERATION, the texture renders black), and engines that copy blocks
 * between textures assume whole blocks; so level 0 of a block format is aligned to the block grid
 * here, after the size limit and the POT policy, before the mip chain:
 * - `resize` (default): scale to the nearest multiple (never above max_size, never below one block);
 * - `pad`: keep the image's texels and extend its edge texels to the next multiple; the output's
 *   meta says `contentWidth`/`contentHeight` so a game can scale UVs;
 * - `fail`: a misaligned texture fails the cook.
 * One exception: when the POT policy demands powers of two (`resize`/`error`) and the block does
 * not divide them (ASTC 5×5, 6×6, 10×10, 12×12…), the power of two wins — ASTC decoders handle
 * partial blocks by specification — and the stat says so.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import type { RgbaImage } from './decode-image.js';
import type { TargetFormat } from './target-format.js';

export const BLOCK_ALIGN_POLICIES = ['resize', 'pad', 'fail'] as const;
export type BlockAlignPolicy = (typeof BLOCK_ALIGN_POLICIES)[number];

export interface BlockAlignPlan {
  /** Level-0 size of the output. */
  width: number;
  height: number;
  /** Set for `pad`: the size the image is resampled to before padding. */
  content?: { width: number; height: number };
  /** What was done, for the cook's stats (`kiln validate` shows it); undefined when nothing was needed. */
  report?: string;
}

export interface BlockFootprint {
  width: number;
  height: number;
  /** The format's decoders accept a level 0 that ends inside a block (ASTC). */
  partialBlocks?: boolean;
}

/** Block footprint of a target format; undefined for uncompressed and image-file outputs. */
export function blockFootprint(target: TargetFormat): BlockFootprint | undefined {
  if (target.kind === 'blocks') return { width: target.vk.blockWidth, height: target.vk.blockHeight, ...(target.block === 'astc' ? { partialBlocks: true } : {}) };
  if (target.kind === 'basis') return { width: 4, height: 4 };
  return undefined;
}

export function planBlockAlign(
  size: { width: number; height: number },
  block: BlockFootprint | undefined,
  policy: BlockAlignPolicy,
  maxSize: number,
  powerOfTwoRequired = false,
): BlockAlignPlan {
  const { width, height } = size;
  if (!block || (width % block.width === 0 && height % block.height === 0)) return { width, height };
  const grid = `${block.width}×${block.height} blocks`;
  if (powerOfTwoRequired && block.partialBlocks && isPot(width) && isPot(height)) {
    return { width, height, report: `kept ${width}×${height}: the pot policy requires powers of two, which ${grid} do not divide (ASTC decodes partial blocks)` };
  }
  switch (policy) {
    case 'fail':
      throw new RuleError(`texture is ${width}×${height}, not a multiple of the format's ${grid}; block_align is "fail" (use resize or pad)`);
    case 'pad': {
      const padded = { width: roundUp(width, block.width), height: roundUp(height, block.height) };
      return { ...padded, content: { width, height }, report: `padded ${width}×${height} to ${padded.width}×${padded.height} (${grid}, edge texels repeated)` };
    }
    case 'resize': {
      const aligned = { width: nearest(width, block.width, maxSize), height: nearest(height, block.height, maxSize) };
      return { ...aligned, report: `resized ${width}×${height} to ${aligned.width}×${aligned.height} (${grid})` };
    }
  }
}

/** Copies `image` into the top-left of a `width`×`height` image, repeating its last column and row. */
export function padToSize(image: RgbaImage, width: number, height: number): RgbaImage {
  const out = new Uint8Array(width * height * 4);
  const rowBytes = image.width * 4;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(y, image.height - 1);
    const row = image.data.subarray(sy * rowBytes, sy * rowBytes + rowBytes);
    out.set(row, y * width * 4);
    const last = row.subarray(rowBytes - 4);
    for (let x = image.width; x < width; x++) out.set(last, (y * width + x) * 4);
  }
  return { data: out, width, height };
}

const roundUp = (n: number, step: number): number => Math.ceil(n / step) * step;
const isPot = (n: number): boolean => (n & (n - 1)) === 0;

function nearest(n: number, step: number, maxSize: number): number {
  let aligned = Math.max(step, Math.round(n / step) * step);
  if (aligned > maxSize) aligned = Math.max(step, Math.floor(maxSize / step) * step);
  return aligned;
}
