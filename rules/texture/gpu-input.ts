/**
 * Pre-compressed inputs (DDS, KTX2). A plain 2D uncompressed texture is unpacked to RGBA8 and
 * re-cooked like any image; anything else — block-compressed, Basis, cube maps, arrays, HDR — is
 * passed through (DDS re-wrapped as KTX2) if the platform's GPUs can sample it.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import type { DecodedImage } from './decode-image.js';
import { isPlain2D, type GpuImage } from './gpu-image.js';

/** RGBA8 of level 0, or undefined when the image is not plain 2D 8-bit uncompressed data. */
export function unpackUncompressed(image: GpuImage): (DecodedImage & { srgb: boolean }) | undefined {
  const format = image.format;
  if (!format || format.family !== 'uncompressed' || !format.channels || !isPlain2D(image)) return undefined;
  const src = image.levels[0];
  if (!src) throw new RuleError('texture has no level data');
  const order = format.channels;
  const n = order.length;
  const texels = image.width * image.height;
  const out = new Uint8Array(texels * 4);
  for (let i = 0; i < texels; i++) {
    let r = 0, g = 0, b = 0, a = 255;
    for (let c = 0; c < n; c++) {
      const v = src[i * n + c]!;
      const ch = order[c];
      if (ch === 'r') r = v;
      else if (ch === 'g') g = v;
      else if (ch === 'b') b = v;
      else a = v;
    }
    if (order === 'r') g = b = r;
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = a;
  }
  return {
    data: out,
    width: image.width,
    height: image.height,
    sourceChannels: order === 'r' ? 1 : order.includes('a') ? 4 : 3,
    hasAlpha: order.includes('a'),
    sourceFormat: `${image.container} ${format.name}`,
    srgb: format.srgb,
  };
}

export function describeGpuImage(image: GpuImage): string {
  const kind = image.faces === 6 ? 'cube map' : image.layers > 1 ? `${image.layers}-layer array` : image.depth > 1 ? '3D texture' : '2D texture';
  const format = image.basis ? `Basis ${image.basis.toUpperCase()}` : (image.format?.name ?? `vkFormat ${image.vkFormat}`);
  return `${format} ${kind} ${image.width}×${image.height}`;
}
