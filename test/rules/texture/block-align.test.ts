import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { blockFootprint, padToSize, planBlockAlign } from '../../../rules/texture/block-align.js';
import { vkFormatByName } from '../../../rules/texture/vk-formats.js';
import { cook, mainKtx2, PLATFORMS, pngOf } from './helpers.js';

const gradient = (x: number, y: number): [number, number, number, number] => [(x * 5) & 255, (y * 7) & 255, 128, 255];

describe('block alignment: level 0 of block formats is a multiple of the block', () => {
  for (const [platform, settings] of Object.entries(PLATFORMS)) {
    it(`resizes a 47×30 texture onto the block grid by default on ${platform}`, async () => {
      const r = await cook('t/odd.png', await pngOf(47, 30, gradient), settings, {}, platform);
      const { meta, container } = mainKtx2(r);
      const block = platform === 'mobile' ? 6 : 4;
      expect(container.pixelWidth % block).toBe(0);
      expect(container.pixelHeight % block).toBe(0);
      expect(meta.width).toBe(container.pixelWidth);
      expect(r.stats.block_align).toMatch(/^resized 47×30 to \d+×\d+/);
    });
  }

  it('pads with edge texels and records the content size when block_align is pad', async () => {
    const r = await cook('t/odd.png', await pngOf(47, 30, gradient), PLATFORMS.desktop, { block_align: 'pad' });
    const { meta, container } = mainKtx2(r);
    expect([container.pixelWidth, container.pixelHeight]).toEqual([48, 32]);
    expect([meta.contentWidth, meta.contentHeight]).toEqual([47, 30]);
    expect(r.stats.block_align).toBe('padded 47×30 to 48×32 (4×4 blocks, edge texels repeated)');
  });

  it('fails a misaligned texture when block_align is fail, and reports it in validate mode too', async () => {
    await expect(cook('t/odd.png', await pngOf(47, 30, gradient), PLATFORMS.desktop, { block_align: 'fail' })).rejects.toThrow(RuleError);
    await expect(cook('t/odd.png', await pngOf(47, 30, gradient), PLATFORMS.desktop, { block_align: 'fail' })).rejects.toThrow(/47×30, not a multiple of the format's 4×4 blocks/);
  });

  it('leaves aligned textures and non-block outputs alone, whatever the POT policy', async () => {
    const aligned = await cook('t/a.png', await pngOf(48, 20, gradient), { ...PLATFORMS.desktop, pot: 'ignore' });
    expect(mainKtx2(aligned).container.pixelWidth).toBe(48);
    expect(aligned.stats.block_align).toBe('already aligned');
    const png = await cook('t/odd.png', await pngOf(47, 30, gradient), { ...PLATFORMS.desktop, format: 'png' });
    expect(png.stats.width).toBe(47);
    expect(png.stats.block_align).toBe('n/a (not a block format)');
  });

  it('never resizes above max_size and never below one block', () => {
    const bc = blockFootprint({ kind: 'blocks', block: 'bc7', vk: vkFormatByName('BC7_UNORM') });
    expect(planBlockAlign({ width: 63, height: 2 }, bc, 'resize', 63)).toMatchObject({ width: 60, height: 4 });
    expect(planBlockAlign({ width: 1, height: 1 }, { width: 6, height: 6 }, 'resize', 4096)).toMatchObject({ width: 6, height: 6 });
    expect(planBlockAlign({ width: 211, height: 211 }, bc, 'resize', 4096)).toMatchObject({ width: 212, height: 212 });
  });

  it('keeps a power of two under a pot policy that requires one when an ASTC block does not divide it', async () => {
    const r = await cook('t/p.png', await pngOf(64, 64, gradient), { ...PLATFORMS.mobile, pot: 'resize' }, {}, 'mobile');
    expect(mainKtx2(r).container.pixelWidth).toBe(64);
    expect(r.stats.block_align).toMatch(/^kept 64×64: the pot policy requires powers of two/);
    // With pot: warn the block grid wins (66 would pass max_size 64, so 60); BC's 4×4 divides every power of two anyway.
    expect(mainKtx2(await cook('t/p.png', await pngOf(64, 64, gradient), PLATFORMS.mobile, {}, 'mobile')).container.pixelWidth).toBe(60);
  });

  it('pads by repeating the last column and row', () => {
    const image = { width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) };
    const padded = padToSize(image, 4, 2);
    expect([...padded.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 5, 6, 7, 8, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 5, 6, 7, 8, 5, 6, 7, 8]);
  });
});
