/**
 * The seed's TextureValidator: size, power-of-two, pixel budget and platform format checks.
 * They run inside every cook (and alone for `kiln validate`); errors are RuleErrors the user
 * can act on, warnings go through ctx.warn.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import type { PotPolicy, TextureFormat } from './platform-settings.js';
import type { FormatFamily } from './vk-formats.js';

export function checkPixelLimit(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new RuleError(`image is ${width}×${height} = ${width * height} pixels, above the limit max_pixels = ${maxPixels} (refused before decoding)`);
  }
}

/** Scales down (keeping aspect) to fit `maxSize`, or fails when resizing is not allowed. */
export function fitToMaxSize(width: number, height: number, maxSize: number, resize: boolean): { width: number; height: number; scaled: boolean } {
  if (width <= maxSize && height <= maxSize) return { width, height, scaled: false };
  if (!resize) throw new RuleError(`texture is ${width}×${height}, larger than max_size ${maxSize} for this platform, and resize is false`);
  const scale = maxSize / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scaled: true };
}

const isPot = (n: number): boolean => (n & (n - 1)) === 0;
const nearestPot = (n: number): number => 2 ** Math.round(Math.log2(n));

export function applyPotPolicy(
  width: number,
  height: number,
  policy: PotPolicy,
  maxSize: number,
  warn: (message: string) => void,
): { width: number; height: number } {
  if (isPot(width) && isPot(height)) return { width, height };
  const message = `texture is ${width}×${height}, not a power of two (mip chains and some GPUs/block formats want power-of-two sizes)`;
  switch (policy) {
    case 'ignore':
      return { width, height };
    case 'warn':
      warn(message);
      return { width, height };
    case 'error':
      throw new RuleError(`${message}; this platform's pot policy is "error"`);
    case 'resize': {
      const cap = 2 ** Math.floor(Math.log2(maxSize));
      return { width: Math.min(cap, nearestPot(width)), height: Math.min(cap, nearestPot(height)) };
    }
  }
}

const ACCEPTS: Record<TextureFormat, readonly FormatFamily[]> = {
  bc7: ['bc', 'uncompressed', 'hdr', 'basis'],
  astc: ['astc', 'etc2', 'uncompressed', 'hdr', 'basis'],
  etc2: ['etc2', 'uncompressed', 'hdr', 'basis'],
  basis: ['basis', 'uncompressed', 'hdr'],
  rgba8: ['uncompressed', 'hdr'],
  png: [],
  webp: [],
};

const FAMILY_NAMES: Record<FormatFamily, string> = {
  bc: 'BC (desktop)',
  astc: 'ASTC (mobile)',
  etc2: 'ETC2/EAC (mobile)',
  basis: 'Basis Universal',
  uncompressed: 'uncompressed',
  hdr: 'HDR float',
};

/** A pre-compressed texture can only be passed through to a platform whose GPUs sample it. */
export function checkPlatformFormat(family: FormatFamily, formatName: string, platform: string, target: TextureFormat): void {
  if (ACCEPTS[target].includes(family)) return;
  throw new RuleError(
    `unsupported format for platform "${platform}": the input is pre-compressed ${formatName} (${FAMILY_NAMES[family]}), ` +
      `which a "${target}" platform cannot ${target === 'png' || target === 'webp' ? 'store' : 'sample'}; ` +
      `kiln does not transcode between block formats — provide the source image (PNG/JPEG/WebP) instead`,
  );
}
