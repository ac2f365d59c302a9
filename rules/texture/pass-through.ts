/**
 * Emits a pre-compressed texture unchanged: a KTX2 keeps its exact bytes, a DDS is re-wrapped
 * as KTX2 with the same blocks. These cannot be resized or re-encoded here (kiln has no block
 * decoders), so size rules become warnings and the format must suit the platform.
 */
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import type { GpuImage } from './gpu-image.js';
import { describeGpuImage } from './gpu-input.js';
import { ktx2Parts } from './ktx2-parts.js';
import { writeKtx2 } from './ktx2-writer.js';
import type { TextureFormat } from './platform-settings.js';
import { chainGpuBytes, textureMeta } from './texture-meta.js';
import { checkPlatformFormat } from './validators.js';
import { vkFormatByName } from './vk-formats.js';

export interface PassThroughOptions {
  target: TextureFormat;
  maxSize: number;
  writer: string;
}

export async function passThrough(ctx: RuleContext<object, object>, image: GpuImage, original: Uint8Array, options: PassThroughOptions): Promise<Uint8Array | undefined> {
  const what = describeGpuImage(image);
  const family = image.basis ? 'basis' : image.format?.family;
  if (!family) throw new RuleError(`${what}: vkFormat ${image.vkFormat} is not a format kiln knows how to pass through`);
  checkPlatformFormat(family, image.basis ? `Basis ${image.basis.toUpperCase()}` : image.format!.name, ctx.platform.name, options.target);
  if (image.width > options.maxSize || image.height > options.maxSize) {
    ctx.warn(`pre-compressed ${what} is larger than max_size ${options.maxSize} and cannot be resized; provide the source image to have it resized`);
  }
  if (family === 'uncompressed' || family === 'hdr') {
    ctx.warn(`${what} passed through unchanged: cube maps, arrays, volumes and HDR textures are not resized or re-encoded`);
  }
  ctx.stat('passthrough', true);
  ctx.stat('source_format', `${image.container} ${what}`);
  if (ctx.mode === 'validate') return undefined;
  const bytes =
    image.container === 'ktx2'
      ? original
      : await writeKtx2(image.format!, image, image.levels, { writer: options.writer });
  const parts = ktx2Parts(bytes);
  const slices = Math.max(1, image.layers) * image.faces;
  const mipCount = parts.length - 1;
  const gpuFormat = image.format ?? vkFormatByName('BC7_UNORM'); // Basis transcodes to a 16-byte/block format at most
  const meta = textureMeta({
    width: image.width,
    height: image.height,
    format: image.basis ? `basis-${image.basis}` : image.format!.name.toLowerCase(),
    vkFormat: image.vkFormat,
    mipCount,
    gpuBytes: chainGpuBytes(gpuFormat, image.width, image.height, mipCount, slices),
    colorSpace: image.format?.srgb === false ? 'linear' : 'srgb',
    container: 'ktx2',
    hasAlpha: true,
    layers: image.layers,
    faces: image.faces,
    parts,
  });
  await ctx.output(`${ctx.name}.ktx2`, bytes, meta);
  ctx.stat('mip_count', mipCount);
  ctx.stat('output_bytes', bytes.byteLength);
  ctx.stat('psnr', 'n/a (passed through unchanged)');
  return bytes;
}
