/**
 * One texture cook, start to finish: read the input, run the validators, build the mip chain,
 * encode for the platform, wrap, and record outputs and stats. In validate mode (`kiln validate`)
 * it stops after the validators, before any pixel is resampled or encoded.
 */
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { blockFootprint, padToSize, planBlockAlign } from './block-align.js';
import type { TextureCodecs } from './codecs.js';
import { decideColorRole } from './color-role.js';
import { decodeImage, type DecodedImage } from './decode-image.js';
import { readDds } from './dds-reader.js';
import { encodeBlockLevels } from './encode-blocks.js';
import type { GpuImage } from './gpu-image.js';
import { unpackUncompressed } from './gpu-input.js';
import { encodeMipFiles } from './image-file-output.js';
import { ktx2Parts } from './ktx2-parts.js';
import { readKtx2 } from './ktx2-reader.js';
import { writeKtx2 } from './ktx2-writer.js';
import type { TextureOptions, TexturePlatformSettings } from './options.js';
import { buildMipChain } from './mip-chain.js';
import { passThrough } from './pass-through.js';
import { psnrStat } from './psnr.js';
import { looksLikeDds, sniffInput } from './sniff.js';
import { chooseTargetFormat } from './target-format.js';
import { readTextureInput } from './texture-input.js';
import { chainGpuBytes, hasTransparency, textureMeta } from './texture-meta.js';
import { applyPotPolicy, checkPixelLimit, fitToMaxSize } from './validators.js';
import { vkFormatByName } from './vk-formats.js';

export interface CookOptions {
  codecs: TextureCodecs;
  writer: string;
}

type Ctx = RuleContext<TextureOptions, TexturePlatformSettings>;

async function readAsImage(bytes: Uint8Array, path: string, maxPixels: number): Promise<{ image: DecodedImage; containerSrgb?: boolean } | { gpu: GpuImage }> {
  let kind = sniffInput(bytes);
  // A file named .dds that is not one gets the DDS reader's precise complaint.
  if (kind === 'unknown' && looksLikeDds(path)) kind = 'dds';
  if (kind === 'dds' || kind === 'ktx2' || kind === 'ktx1') {
    const gpu = kind === 'dds' ? readDds(bytes) : await readKtx2(bytes);
    checkPixelLimit(gpu.width, gpu.height, maxPixels);
    const unpacked = unpackUncompressed(gpu);
    if (!unpacked) return { gpu };
    return { image: unpacked, containerSrgb: unpacked.srgb };
  }
  if (kind === 'unknown') throw new RuleError('not an image format kiln reads (PNG, JPEG, WebP, GIF, TIFF, DDS or KTX2)');
  return { image: await decodeImage(bytes, kind.toUpperCase(), maxPixels) };
}

export async function cookTexture(ctx: Ctx, options: CookOptions): Promise<void> {
  const attrs = ctx.attrs;
  const settings = ctx.platform.settings;
  // Unset target attributes defer to the platform's settings (which have schema defaults).
  const format = attrs.format ?? settings.format;
  const maxSize = attrs.max_size === undefined ? settings.max_size : Math.min(settings.max_size, attrs.max_size);
  const effort = attrs.effort ?? settings.effort;
  const input = await readTextureInput(ctx as RuleContext<object, object>);
  ctx.stat('source_bytes', input.bytes.byteLength);

  const read = await readAsImage(input.bytes, input.path, settings.max_pixels);
  if ('gpu' in read) {
    await passThrough(ctx as RuleContext<object, object>, read.gpu, input.bytes, { target: format, maxSize, writer: options.writer });
    return;
  }
  const source = read.image;
  const role = await decideColorRole({
    path: input.path,
    colorSpaceAttr: attrs.color_space,
    normalMapAttr: attrs.normal_map,
    linearPatterns: settings.linear_patterns,
    normalPatterns: settings.normal_patterns,
    ...(read.containerSrgb !== undefined ? { containerSrgb: read.containerSrgb } : {}),
  });
  const fitted = fitToMaxSize(source.width, source.height, maxSize, attrs.resize);
  const pot = applyPotPolicy(fitted.width, fitted.height, settings.pot, maxSize, (m) => ctx.warn(m));
  const hasAlpha = hasTransparency(source.data);
  const target = chooseTargetFormat({
    format,
    role,
    singleChannel: source.sourceChannels === 1,
    hasAlpha,
    astcBlock: settings.astc_block,
    basisMode: settings.basis_mode,
  });
  const footprint = blockFootprint(target);
  const aligned = planBlockAlign(pot, footprint, attrs.block_align, maxSize, settings.pot === 'resize' || settings.pot === 'error');
  const size = { width: aligned.width, height: aligned.height };
  ctx.stat('block_align', aligned.report ?? (footprint ? 'already aligned' : 'n/a (not a block format)'));
  ctx.stat('source_format', source.sourceFormat);
  ctx.stat('source_size', `${source.width}x${source.height}`);
  ctx.stat('width', size.width);
  ctx.stat('height', size.height);
  ctx.stat('color_space', role.colorSpace);
  ctx.stat('color_space_reason', role.reason);
  ctx.stat('normal_map', role.normalMap);
  if (ctx.mode === 'validate') return;

  const chain = { linearLight: role.colorSpace === 'srgb', normalMap: role.normalMap, kernel: attrs.mip_filter, mips: attrs.mips };
  const level0Source = aligned.content
    ? padToSize((await buildMipChain(source, aligned.content.width, aligned.content.height, { ...chain, mips: false }))[0]!, size.width, size.height)
    : source;
  const mips = await buildMipChain(level0Source, size.width, size.height, chain);
  const rgba8Bytes = mips.reduce((sum, m) => sum + m.data.byteLength, 0);
  ctx.stat('uncompressed_bytes', rgba8Bytes);
  ctx.stat('mip_count', mips.length);
  const base = { width: size.width, height: size.height, mipCount: mips.length, colorSpace: role.colorSpace, hasAlpha, normalMap: role.normalMap };

  if (target.kind === 'image') {
    const files = await encodeMipFiles(mips, target.ext, { quality: settings.webp_quality, lossless: role.colorSpace === 'linear' });
    const names = mips.map((_, i) => (i === 0 ? `${ctx.name}.${target.ext}` : `${ctx.name}.mip${i}.${target.ext}`));
    const rgba = vkFormatByName(role.colorSpace === 'srgb' ? 'R8G8B8A8_SRGB' : 'R8G8B8A8_UNORM');
    const meta = textureMeta({ ...base, format: target.ext, vkFormat: rgba.vkFormat, gpuBytes: rgba8Bytes, container: target.ext, mipFiles: names });
    for (const [i, file] of files.entries()) await ctx.output(names[i]!, file, i === 0 ? meta : { mipLevel: i, width: mips[i]!.width, height: mips[i]!.height });
    const total = files.reduce((sum, f) => sum + f.byteLength, 0);
    ctx.stat('format', target.ext);
    ctx.stat('output_bytes', total);
    ctx.stat('gpu_bytes', rgba8Bytes);
    ctx.stat('psnr', target.ext === 'png' || role.colorSpace === 'linear' ? 'lossless' : 'n/a (lossy WebP not measured)');
    return;
  }

  const rgbaVk = vkFormatByName(role.colorSpace === 'srgb' ? 'R8G8B8A8_SRGB' : 'R8G8B8A8_UNORM');
  const writeRgba8 = () => writeKtx2(rgbaVk, size, mips.map((m) => m.data), { writer: options.writer });
  let bytes: Uint8Array;
  let formatName: string;
  let vkFormat: number;
  let gpuBytes: number;
  let normalEncoding: 'xy' | 'xyz' | undefined = role.normalMap ? 'xyz' : undefined;
  let quality: number | string;
  if (target.kind === 'rgba8') {
    bytes = await writeRgba8();
    formatName = 'rgba8';
    vkFormat = rgbaVk.vkFormat;
    gpuBytes = rgba8Bytes;
    quality = 'lossless';
  } else if (target.kind === 'basis') {
    const dir = await ctx.tempDir();
    const encoded = await options.codecs.basis.encode({ image: mips[0]!, mode: target.mode, srgb: role.colorSpace === 'srgb', normalMap: role.normalMap, mips: attrs.mips, effort, dir });
    bytes = encoded.ktx2;
    formatName = `basis-${target.mode}`;
    vkFormat = 0;
    gpuBytes = chainGpuBytes(vkFormatByName('BC7_UNORM'), size.width, size.height, ktx2Parts(bytes).length - 1);
    quality = encoded.psnr !== undefined ? psnrStat(encoded.psnr) : `n/a (${options.codecs.basis.name} reported no PSNR)`;
    ctx.stat('encoder', options.codecs.basis.name);
  } else {
    const dir = await ctx.tempDir();
    const encoded = await encodeBlockLevels(options.codecs, mips, target, { effort, astcBlock: settings.astc_block, dir, hasAlpha });
    bytes = await writeKtx2(target.vk, size, encoded.levels, { writer: options.writer });
    formatName = target.vk.name.toLowerCase();
    vkFormat = target.vk.vkFormat;
    gpuBytes = encoded.levels.reduce((sum, l) => sum + l.byteLength, 0);
    normalEncoding = target.normalEncoding;
    quality = encoded.psnr !== undefined ? psnrStat(encoded.psnr) : `n/a (no ${target.vk.name} decoder in ${encoded.encoder})`;
    ctx.stat('encoder', encoded.encoder);
  }
  if (target.kind !== 'rgba8' && settings.compress_only_if_smaller && bytes.byteLength >= rgba8Bytes) {
    const plain = await writeRgba8();
    if (plain.byteLength <= bytes.byteLength) {
      ctx.stat('compressed_fallback', `${formatName} was ${bytes.byteLength} bytes, RGBA8 ${plain.byteLength}: kept RGBA8`);
      bytes = plain;
      formatName = 'rgba8';
      vkFormat = rgbaVk.vkFormat;
      gpuBytes = rgba8Bytes;
      quality = 'lossless';
      normalEncoding = role.normalMap ? 'xyz' : undefined;
    }
  }
  const parts = ktx2Parts(bytes);
  const meta = textureMeta({ ...base, mipCount: parts.length - 1, format: formatName, vkFormat, gpuBytes, container: 'ktx2', parts, ...(normalEncoding ? { normalEncoding } : {}) });
  if (aligned.content && formatName !== 'rgba8') {
    meta.contentWidth = aligned.content.width;
    meta.contentHeight = aligned.content.height;
  }
  await ctx.output(`${ctx.name}.ktx2`, bytes, meta);
  ctx.stat('format', formatName);
  ctx.stat('output_bytes', bytes.byteLength);
  ctx.stat('gpu_bytes', gpuBytes);
  ctx.stat('compression_ratio', Math.round((rgba8Bytes / bytes.byteLength) * 100) / 100);
  ctx.stat(typeof quality === 'number' ? 'psnr_db' : 'psnr', quality);
}
