import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { uiRule } from '../../../rules/ui/index.js';
import { runRule } from '../../support/rule-harness.js';

const PKG = 'sample-project/common/ui';
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/ui/${name}`, import.meta.url));
const ICONS = ['heart', 'coin', 'bar', 'spark_flame'];

function input(names = ICONS, extra: Record<string, unknown> = {}) {
  const files = Object.fromEntries(names.map((n) => [`${PKG}/icons/${n}.png`, fixture(`${n}.png`)]));
  return { label: '//common/ui:atlas', files, srcs: Object.keys(files), ...extra };
}

async function cookError(promise: Promise<unknown>): Promise<RuleError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RuleError);
  return error as RuleError;
}

interface Rect { x: number; y: number; w: number; h: number; offset_x: number; offset_y: number; source_w: number; source_h: number }

describe('ui atlas rule', () => {
  it('packs every sprite without overlap, with padding, and copies its pixels exactly', async () => {
    const result = await runRule(uiRule(), input());
    const table = JSON.parse(new TextDecoder().decode(result.bytes('atlas.rects.json'))) as { width: number; height: number; sprites: Record<string, Rect> };
    expect(Object.keys(table.sprites)).toEqual(['icons/bar', 'icons/coin', 'icons/heart', 'icons/spark_flame']);
    const rects = Object.values(table.sprites);
    for (const [i, a] of rects.entries()) {
      for (const b of rects.slice(i + 1)) {
        // extrusion (1) on both sides plus padding (2) must separate any two sprites
        const apart = a.x + a.w + 4 <= b.x || b.x + b.w + 4 <= a.x || a.y + a.h + 4 <= b.y || b.y + b.h + 4 <= a.y;
        expect(apart).toBe(true);
      }
    }
    const atlas = await sharp(result.bytes('atlas.png')).raw().toBuffer({ resolveWithObject: true });
    expect([atlas.info.width, atlas.info.height]).toEqual([table.width, table.height]);
    expect(Math.log2(table.width) % 1).toBe(0);
    const heart = await sharp(fixture('heart.png')).ensureAlpha().raw().toBuffer();
    const r = table.sprites['icons/heart']!;
    for (let y = 0; y < r.h; y++) {
      const row = atlas.data.subarray(((r.y + y) * table.width + r.x) * 4, ((r.y + y) * table.width + r.x + r.w) * 4);
      expect(Buffer.compare(row, heart.subarray(y * r.w * 4, (y + 1) * r.w * 4))).toBe(0);
    }
    // extrusion: the pixel left of the sprite repeats its first column
    const edge = (r.y + 12) * table.width;
    expect(atlas.data.subarray((edge + r.x - 1) * 4, (edge + r.x) * 4)).toEqual(atlas.data.subarray((edge + r.x) * 4, (edge + r.x + 1) * 4));
    expect(result.outputs[0]!.meta).toMatchObject({ format: 'png', sprites: 4, rects: 'atlas.rects.json' });
    expect(result.stats).toMatchObject({ sprites: 4, width: table.width });
  });

  it('is deterministic whatever the source order', async () => {
    const a = await runRule(uiRule(), input());
    const b = await runRule(uiRule(), input([...ICONS].reverse()));
    expect(b.bytes('atlas.png')).toEqual(a.bytes('atlas.png'));
    expect(b.bytes('atlas.rects.json')).toEqual(a.bytes('atlas.rects.json'));
  });

  it('trims transparent borders and records the offset', async () => {
    const rgba = Buffer.alloc(16 * 16 * 4);
    for (let y = 6; y < 10; y++) for (let x = 5; x < 9; x++) rgba.fill(255, (y * 16 + x) * 4, (y * 16 + x + 1) * 4);
    const dot = await sharp(rgba, { raw: { width: 16, height: 16, channels: 4 } }).png().toBuffer();
    const base = input(['coin']);
    const result = await runRule(uiRule(), { ...base, files: { ...base.files, [`${PKG}/dot.png`]: dot }, srcs: [...base.srcs, `${PKG}/dot.png`], attrs: { trim: true } });
    const table = JSON.parse(new TextDecoder().decode(result.bytes('atlas.rects.json')));
    expect(table.sprites['dot']).toMatchObject({ w: 4, h: 4, offset_x: 5, offset_y: 6, source_w: 16, source_h: 16 });
  });

  it('rejects a sprite larger than the platform atlas, naming the file', async () => {
    const error = await cookError(runRule(uiRule(), input(ICONS, { platform: { name: 'mobile', settings: { max_size: 100 } } })));
    expect(error.file).toBe(`${PKG}/icons/spark_flame.png`);
    expect(error.message).toMatch(/128x128 .* at most 100x100 on mobile/);
  });

  it('rejects sprites that together overflow one atlas', async () => {
    const error = await cookError(runRule(uiRule(), input(['heart', 'coin'], { attrs: { max_size: 32 } })));
    expect(error.message).toMatch(/do not fit in one 32x32 atlas/);
  });

  it('rejects truncated and corrupt PNGs with the file name', async () => {
    const truncated = { label: '//common/ui:atlas', files: { [`${PKG}/bad.png`]: fixture('truncated-heart.png') }, srcs: [`${PKG}/bad.png`] };
    expect((await cookError(runRule(uiRule(), truncated))).file).toBe(`${PKG}/bad.png`);
    const eof = { label: '//common/ui:atlas', files: { [`${PKG}/eof.png`]: fixture('x_unexpected_eof.png') }, srcs: [`${PKG}/eof.png`] };
    expect((await cookError(runRule(uiRule(), eof))).message).toMatch(/cannot decode image/);
  });

  it('validates without writing outputs', async () => {
    const result = await runRule(uiRule(), input(), 'validate');
    expect(result.outputs).toEqual([]);
    expect(result.stats['sprites']).toBe(4);
  });
});
