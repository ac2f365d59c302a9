import { read } from 'ktx-parse';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import type { DepInfo } from '../../../src/rule/context.js';
import { digestOf, digestKey } from '../../../src/hash/digest.js';
import { meanNormalLengthError } from '../../../rules/texture/normal-map.js';
import { runRule } from '../../support/rule-harness.js';
import { cook, fixture, mainKtx2, pngOf, PLATFORMS, rule } from './helpers.js';

describe('texture rule: platform formats', () => {
  const expected: Record<string, number> = { desktop: 146, mobile: 166, 'mobile-etc2': 152, web: 0 };
  for (const [platform, settings] of Object.entries(PLATFORMS)) {
    it(`cooks an RGBA icon to a parseable KTX2 for ${platform} with a full mip chain and byte ranges`, async () => {
      const result = await cook('ui/icon32.png', fixture('icon32.png'), settings, {}, platform);
      const { meta, parts, container, bytes } = mainKtx2(result);
      expect(container.vkFormat).toBe(expected[platform]);
      // ASTC 6×6 aligns the 32×32 icon to its block grid (30×30: 5 levels); the others keep 32×32.
      const [size, levels] = platform === 'mobile' ? [30, 5] : [32, 6];
      expect(container.levels.length).toBe(levels);
      expect(meta['mipCount']).toBe(levels);
      expect(meta['width']).toBe(size);
      expect(parts[0]!.kind).toBe('header');
      for (const part of parts.slice(1)) expect(part.offset + part.size).toBeLessThanOrEqual(bytes.byteLength);
      // KTX2 stores the smallest level first so a streamer can show something early.
      expect(parts[levels]!.offset).toBeLessThan(parts[1]!.offset);
      expect(typeof meta['gpuBytes']).toBe('number');
      expect(result.stats['mip_count']).toBe(levels);
    });
  }

  it('uses BC5 for normal maps and BC4 for single-channel linear data on desktop', async () => {
    const normal = await cook('t/rock_n.png', await pngOf(16, 16, (x) => [128 + x, 128, 255, 255]), PLATFORMS.desktop);
    expect(mainKtx2(normal).container.vkFormat).toBe(141);
    expect(mainKtx2(normal).meta['normalEncoding']).toBe('xy');
    const grey = await cook('t/mask.png', fixture('testorig_gray.png'), PLATFORMS.desktop, { color_space: 'linear' });
    expect(mainKtx2(grey).container.vkFormat).toBe(139);
  });

  it('uses EAC RG11 for normal maps and ETC2 RGB for opaque colour on the ETC2 profile', async () => {
    const normal = await cook('t/rock_normal.png', await pngOf(8, 8, () => [128, 128, 255, 255]), PLATFORMS['mobile-etc2']);
    expect(mainKtx2(normal).container.vkFormat).toBe(155);
    const photo = await cook('t/photo.jpg', fixture('testorig.jpg'), { ...PLATFORMS['mobile-etc2'], pot: 'ignore' });
    expect(mainKtx2(photo).container.vkFormat).toBe(148);
  });

  it('honours the ASTC block size and writes RGBA8, PNG and WebP when asked', async () => {
    const astc = await cook('t/a.png', fixture('icon32.png'), { ...PLATFORMS.mobile, astc_block: '4x4' });
    expect(mainKtx2(astc).container.vkFormat).toBe(158);
    const rgba = await cook('t/a.png', fixture('icon32.png'), { format: 'rgba8' });
    expect(mainKtx2(rgba).container.vkFormat).toBe(43);
    const png = await cook('t/a.png', fixture('icon32.png'), { format: 'png' });
    expect(png.outputs.map((o) => o.name)).toEqual(['a.png', 'a.mip1.png', 'a.mip2.png', 'a.mip3.png', 'a.mip4.png', 'a.mip5.png']);
    expect((await sharp(png.bytes('a.mip1.png')).metadata()).width).toBe(16);
    const webp = await cook('t/a.png', fixture('icon32.png'), { format: 'webp' });
    expect((await sharp(webp.bytes('a.webp')).metadata()).format).toBe('webp');
  });

  it('records PSNR from decoded blocks where the encoder can decode, and says so where it cannot', async () => {
    const bc = await cook('t/photo.jpg', fixture('testorig.jpg'), { ...PLATFORMS.desktop, pot: 'ignore' });
    expect(bc.stats['psnr_db']).toBeGreaterThan(30);
    const astc = await cook('t/photo.jpg', fixture('testorig.jpg'), { ...PLATFORMS.mobile, pot: 'ignore' });
    expect(astc.stats['psnr_db']).toBeGreaterThan(25);
    const etc = await cook('t/photo.jpg', fixture('testorig.jpg'), { ...PLATFORMS['mobile-etc2'], pot: 'ignore' });
    expect(String(etc.stats['psnr'])).toMatch(/n\/a/);
    expect(bc.stats['source_bytes']).toBe(fixture('testorig.jpg').byteLength);
    expect(bc.stats['output_bytes']).toBeGreaterThan(0);
  });
});

describe('texture rule: colour and filtering', () => {
  it('filters colour mips in linear light: a black/white checkerboard halves to about 188', async () => {
    const board = await pngOf(32, 32, (x, y) => ((x + y) % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const centre = (16 * 8 + 8) * 4; // away from the edges, where the kernel is clamped
    const result = await cook('t/board.png', board, { format: 'rgba8' });
    const level1 = mainKtx2(result).container.levels[1]!.levelData;
    expect(Math.abs(level1[centre]! - 188)).toBeLessThanOrEqual(2);
    const linear = await cook('t/board.png', board, { format: 'rgba8' }, { color_space: 'linear' });
    expect(Math.abs(mainKtx2(linear).container.levels[1]!.levelData[centre]! - 128)).toBeLessThanOrEqual(2);
    expect(mainKtx2(linear).container.dataFormatDescriptor[0]!.transferFunction).toBe(1);
  });

  it('filters with premultiplied alpha, so invisible texels do not bleed their colour', async () => {
    const img = await pngOf(2, 2, (x) => (x === 0 ? [255, 0, 0, 255] : [0, 255, 0, 0]));
    const result = await cook('t/sprite.png', img, { format: 'rgba8' });
    const mip = mainKtx2(result).container.levels[1]!.levelData;
    expect(mip[0]).toBeGreaterThan(200);
    expect(mip[1]).toBeLessThan(40);
  });

  it('renormalizes every mip level of a normal map', async () => {
    const bumpy = await pngOf(32, 32, (x, y) => {
      const nx = Math.sin(x * 1.7) * 0.7, ny = Math.cos(y * 2.3) * 0.7;
      const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
      return [Math.round((nx + 1) * 127.5), Math.round((ny + 1) * 127.5), Math.round((nz + 1) * 127.5), 255];
    });
    const result = await cook('t/bumpy_normal.png', bumpy, { format: 'rgba8' });
    const { container, meta } = mainKtx2(result);
    expect(meta['normalMap']).toBe(true);
    expect(result.stats['color_space']).toBe('linear');
    for (const [i, level] of container.levels.entries()) {
      const w = Math.max(1, 32 >> i);
      expect(meanNormalLengthError({ data: level.levelData, width: w, height: w })).toBeLessThan(0.01);
    }
  });

  it('treats linear_patterns matches as linear data and everything else as sRGB', async () => {
    const settings = { format: 'rgba8', linear_patterns: ['*_rough.*'] };
    const rough = await cook('t/wall_rough.png', fixture('icon32.png'), settings);
    expect(rough.stats['color_space']).toBe('linear');
    expect(mainKtx2(rough).container.vkFormat).toBe(37);
    const albedo = await cook('t/wall.png', fixture('icon32.png'), settings);
    expect(albedo.stats['color_space']).toBe('srgb');
  });

  it('produces byte-identical outputs on two cooks', async () => {
    for (const settings of Object.values(PLATFORMS)) {
      const a = await cook('t/spark.png', fixture('spark_flame.png'), settings);
      const b = await cook('t/spark.png', fixture('spark_flame.png'), settings);
      expect(Buffer.compare(a.bytes('spark.ktx2'), b.bytes('spark.ktx2'))).toBe(0);
    }
  });
});

describe('texture rule: validators', () => {
  it('scales textures above the platform max_size down, or fails when resize is false', async () => {
    const result = await cook('t/spark.png', fixture('spark_flame.png'), { format: 'rgba8', max_size: 32 });
    expect(mainKtx2(result).meta['width']).toBe(32);
    const smaller = await cook('t/spark.png', fixture('spark_flame.png'), { format: 'rgba8', max_size: 64 }, { max_size: 16 });
    expect(mainKtx2(smaller).meta['width']).toBe(16);
    await expect(cook('t/spark.png', fixture('spark_flame.png'), { format: 'rgba8', max_size: 32 }, { resize: false })).rejects.toThrow(/larger than max_size 32/);
  });

  it('warns, fails or resizes non-power-of-two textures per the pot policy', async () => {
    const warn = await cook('t/photo.jpg', fixture('testorig.jpg'), { format: 'rgba8', pot: 'warn' });
    expect(warn.diagnostics.map((d) => d.message).join()).toMatch(/not a power of two/);
    await expect(cook('t/photo.jpg', fixture('testorig.jpg'), { format: 'rgba8', pot: 'error' })).rejects.toBeInstanceOf(RuleError);
    const resized = await cook('t/photo.jpg', fixture('testorig.jpg'), { format: 'rgba8', pot: 'resize' });
    expect([mainKtx2(resized).meta['width'], mainKtx2(resized).meta['height']]).toEqual([256, 128]);
  });

  it('refuses images above max_pixels from the header, before decoding', async () => {
    await expect(cook('t/photo.jpg', fixture('testorig.jpg'), { format: 'rgba8', max_pixels: 1000 })).rejects.toThrow(/max_pixels = 1000/);
  });

  it('fails cleanly on corrupt inputs with a RuleError that says what is wrong', async () => {
    await expect(cook('t/x.png', fixture('x_unexpected_eof.png'), { format: 'rgba8' })).rejects.toBeInstanceOf(RuleError);
    await expect(cook('t/x.png', fixture('xc1n0g08.png'), { format: 'rgba8' })).rejects.toBeInstanceOf(RuleError);
    await expect(cook('t/w.dds', fixture('wrong-signature.dds'), PLATFORMS.desktop)).rejects.toThrow(/wrong signature/);
    await expect(cook('t/v.ktx2', fixture('version1.ktx'), PLATFORMS.desktop)).rejects.toThrow(/KTX 1/);
    await expect(cook('t/n.png', new TextEncoder().encode('hello'), PLATFORMS.desktop)).rejects.toThrow(/not an image format/);
  });

  it('validate runs the checks without encoding anything', async () => {
    const result = await runRule(rule, { label: '//t:p', files: { 't/p.jpg': fixture('testorig.jpg') }, srcs: ['t/p.jpg'], platform: { name: 'desktop', settings: { format: 'bc7' } } }, 'validate');
    expect(result.outputs).toHaveLength(0);
    expect(result.stats['width']).toBe(228);
    expect(result.stats['block_align']).toBe('resized 227×149 to 228×148 (4×4 blocks)');
    expect(result.diagnostics[0]?.message).toMatch(/power of two/);
  });
});

describe('texture rule: pre-compressed and dependency inputs', () => {
  it('re-wraps a BC7 DDS as KTX2 on desktop, keeping its levels', async () => {
    const result = await cook('t/b.dds', fixture('dxt10-bc7.dds'), PLATFORMS.desktop);
    const { container, meta } = mainKtx2(result);
    expect(container.vkFormat).toBe(145);
    expect(container.pixelWidth).toBe(64);
    expect(meta['mipCount']).toBe(container.levels.length);
  });

  it('refuses a BC1 DDS on a mobile platform: unsupported format for the platform', async () => {
    await expect(cook('t/a.dds', fixture('dxt1.dds'), PLATFORMS.mobile, {}, 'mobile')).rejects.toThrow(/unsupported format for platform "mobile"/);
  });

  it('re-cooks uncompressed DDS/KTX2 inputs into the platform format', async () => {
    const dds = await cook('t/bgr.dds', fixture('bgr8unorm.dds'), { ...PLATFORMS.desktop, pot: 'ignore' });
    expect(mainKtx2(dds).container.vkFormat).toBe(145);
    const ktx = await cook('t/rgba.ktx2', fixture('2d-rgba.ktx2'), { ...PLATFORMS.mobile, pot: 'ignore' });
    expect(mainKtx2(ktx).container.vkFormat).toBe(166); // R8G8B8A8_SRGB source stays sRGB
  });

  it('passes a Basis UASTC KTX2 through unchanged on the web', async () => {
    const input = fixture('rgba-uastc.ktx2');
    const result = await cook('t/u.ktx2', input, PLATFORMS.web, {}, 'web');
    expect(Buffer.compare(result.bytes('u.ktx2'), input)).toBe(0);
    expect(result.outputs[0]!.meta['format']).toBe('basis-uastc');
  });

  it('cooks the image output of its one dependency when it has no srcs', async () => {
    const png = fixture('icon32.png');
    const digest = digestOf(png);
    const dep: DepInfo = { label: '//ui:atlas', rule: 'atlas', type: 'ui', assetId: '0', priority: 'normal', outputs: [{ name: 'atlas.png', digest, meta: {} }], srcs: [], deps: [] };
    const result = await runRule(rule, { label: '//ui:atlas_tex', deps: [dep], blobs: new Map([[digestKey(digest), png]]), platform: { name: 'desktop', settings: PLATFORMS.desktop } });
    expect(read(result.bytes('atlas_tex.ktx2')).vkFormat).toBe(146);
    await expect(runRule(rule, { label: '//ui:nothing', platform: { name: 'desktop', settings: {} } })).rejects.toThrow(/nothing to cook/);
  });
});
