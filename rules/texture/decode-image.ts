/**
 * Decodes PNG/JPEG/WebP (and GIF/TIFF, which sharp reads anyway) to 8-bit RGBA with sharp.
 * The pixel limit is checked from the header before any pixel is decoded, so a decompression
 * bomb costs nothing; sharp's own `limitInputPixels` backs that up.
 */
import { RuleError } from '../../src/rule/rule-error.js';

export interface RgbaImage {
  /** Straight (not premultiplied) RGBA, 8 bits per channel, rows top to bottom. */
  data: Uint8Array;
  width: number;
  height: number;
}

export interface DecodedImage extends RgbaImage {
  /** Channels in the source: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  sourceChannels: number;
  hasAlpha: boolean;
  /** e.g. `png 16-bit`, for stats and messages. */
  sourceFormat: string;
}

export type SharpModule = (typeof import('sharp'))['default'];

let sharpPromise: Promise<SharpModule> | undefined;
/** sharp is loaded on the first cook, never when the CLI imports the rule. */
export function loadSharp(): Promise<SharpModule> {
  sharpPromise ??= import('sharp').then((m) => m.default);
  return sharpPromise;
}

function sharpMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim() || 'unknown decoder error';
}

export async function decodeImage(bytes: Uint8Array, kind: string, maxPixels: number): Promise<DecodedImage> {
  const sharp = await loadSharp();
  const options = { limitInputPixels: maxPixels, failOn: 'warning' as const, sequentialRead: true };
  let meta: Awaited<ReturnType<ReturnType<SharpModule>['metadata']>>;
  try {
    // Header only, without the limit, so an oversized image gets kiln's message rather than libvips'.
    meta = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch (error) {
    throw new RuleError(`cannot read ${kind} header: ${sharpMessage(error)}`);
  }
  const { width = 0, height = 0 } = meta;
  if (width * height > maxPixels) {
    throw new RuleError(`image is ${width}×${height} = ${width * height} pixels, above the limit max_pixels = ${maxPixels} (refused before decoding)`);
  }
  try {
    const { data, info } = await sharp(bytes, options)
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`decoder produced ${info.channels} channels`);
    const channels = meta.channels ?? 4;
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      sourceChannels: channels,
      hasAlpha: meta.hasAlpha ?? channels % 2 === 0,
      sourceFormat: `${meta.format ?? kind} ${meta.depth === 'ushort' ? '16-bit' : '8-bit'}`,
    };
  } catch (error) {
    throw new RuleError(`cannot decode ${kind}: ${sharpMessage(error)}`);
  }
}
