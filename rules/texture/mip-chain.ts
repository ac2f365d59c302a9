/**
 * Builds the mip chain with sharp. Colour textures are filtered in linear light (scRGB), so a
 * black/white checkerboard averages to sRGB 188, not 128, and distant surfaces keep their
 * brightness. Sharp premultiplies alpha while resampling, so transparent texels do not bleed
 * their colour into visible ones. Linear data (normal, roughness, masks) is filtered as stored.
 */
import { loadSharp, type RgbaImage } from './decode-image.js';
import { renormalizeNormals } from './normal-map.js';

export type MipKernel = 'lanczos3' | 'mitchell' | 'cubic' | 'linear' | 'nearest';

export interface MipChainOptions {
  linearLight: boolean;
  normalMap: boolean;
  kernel: MipKernel;
  /** Only level 0 when false. */
  mips: boolean;
}

export function mipCountFor(width: number, height: number): number {
  return Math.floor(Math.log2(Math.max(width, height))) + 1;
}

async function resample(image: RgbaImage, width: number, height: number, options: MipChainOptions): Promise<RgbaImage> {
  if (image.width === width && image.height === height) return { data: image.data.slice(), width, height };
  const sharp = await loadSharp();
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  if (options.linearLight) pipeline = pipeline.pipelineColourspace('scrgb');
  pipeline = pipeline.resize(width, height, { kernel: options.kernel, fit: 'fill' });
  if (options.linearLight) pipeline = pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 4 || info.width !== width || info.height !== height) {
    throw new Error(`resize produced ${info.width}×${info.height}×${info.channels}, wanted ${width}×${height}×4`);
  }
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}

/** Level 0 at `width`×`height`, then each level halved from the previous one down to 1×1. */
export async function buildMipChain(source: RgbaImage, width: number, height: number, options: MipChainOptions): Promise<RgbaImage[]> {
  const levels: RgbaImage[] = [];
  let current = await resample(source, width, height, options);
  if (options.normalMap) renormalizeNormals(current);
  levels.push(current);
  if (!options.mips) return levels;
  while (current.width > 1 || current.height > 1) {
    const next = await resample(current, Math.max(1, current.width >> 1), Math.max(1, current.height >> 1), options);
    if (options.normalMap) renormalizeNormals(next);
    levels.push(next);
    current = next;
  }
  return levels;
}
