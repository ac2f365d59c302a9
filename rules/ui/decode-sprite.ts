/**
 * A sprite source decoded to straight RGBA8 with sharp, optionally trimmed to the bounding box
 * of its non-transparent pixels (the offset is kept so the runtime can draw it in place).
 */
import type { Sharp } from 'sharp';
import { RuleError } from '../../src/rule/rule-error.js';

export interface Sprite {
  name: string;
  path: string;
  /** Size of the source image before trimming. */
  sourceWidth: number;
  sourceHeight: number;
  /** Where the kept pixels start inside the source image. */
  offsetX: number;
  offsetY: number;
  width: number;
  height: number;
  rgba: Uint8Array;
}

type SharpFactory = (input: Uint8Array, options?: { failOn?: 'none' | 'truncated' | 'error' | 'warning' }) => Sharp;

export async function decodeSprite(sharp: SharpFactory, name: string, path: string, bytes: Uint8Array, trim: boolean): Promise<Sprite> {
  let decoded: { data: Buffer; info: { width: number; height: number } };
  try {
    decoded = await sharp(bytes, { failOn: 'truncated' }).ensureAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new RuleError(`cannot decode image: ${(error as Error).message}`, { file: path });
  }
  const { width, height } = decoded.info;
  const rgba = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
  const full: Sprite = { name, path, sourceWidth: width, sourceHeight: height, offsetX: 0, offsetY: 0, width, height, rgba };
  return trim ? trimTransparent(full) : full;
}

function trimTransparent(sprite: Sprite): Sprite {
  const { sourceWidth: w, sourceHeight: h, rgba } = sprite;
  let minX = w, minY = h, maxX = -1, maxY = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (rgba[(y * w + x) * 4 + 3] === 0) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  // A fully transparent sprite keeps one pixel so it still has a place in the atlas.
  if (maxX < 0) return { ...sprite, width: 1, height: 1, rgba: new Uint8Array(4) };
  const width = maxX - minX + 1;
  const height = maxY - minY + 1;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    out.set(rgba.subarray(((minY + y) * w + minX) * 4, ((minY + y) * w + minX + width) * 4), y * width * 4);
  }
  return { ...sprite, offsetX: minX, offsetY: minY, width, height, rgba: out };
}
