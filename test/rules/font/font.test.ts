import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { fontRule } from '../../../rules/font/index.js';
import { loadOpenType } from '../../../rules/font/open-font.js';
import { runRule } from '../../support/rule-harness.js';

// The sample's font comes from the dejavu-fonts-ttf npm package (a devDependency), not from a system package.
const FONT = 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf';
const TTF = readFileSync(new URL(`../../../${FONT}`, import.meta.url));
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/font/${name}`, import.meta.url));

interface Glyph { char: string; advance: number; bearing_x: number; bearing_y: number; x: number; y: number; w: number; h: number }
interface Metrics { family: string; glyphs: Record<string, Glyph>; kerning: [number, number, number][]; missing: number[]; atlas: { width: number; height: number }; line_height: number }

function cook(attrs: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, files: Record<string, Uint8Array> = {}) {
  return runRule(fontRule(), { label: '//common/fonts:ui', pkgDir: 'sample-project/common/fonts', files: { [FONT]: TTF, ...files }, srcs: [FONT], attrs, ...extra });
}
const metricsOf = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as Metrics;

async function cookError(promise: Promise<unknown>): Promise<RuleError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RuleError);
  return error as RuleError;
}

describe('font rule', () => {
  it('cooks ASCII metrics, an SDF atlas and kerning from DejaVu Sans', async () => {
    const result = await cook();
    const m = metricsOf(result.bytes('ui.json'));
    expect(m.family).toBe('DejaVu Sans');
    expect(Object.keys(m.glyphs)).toHaveLength(95);
    // DejaVu Sans: 'A' advances 1401 units of 2048; at 32 px that is 21.89 px.
    expect(m.glyphs['65']!.advance).toBeCloseTo((1401 * 32) / 2048, 1);
    expect(m.glyphs['32']).toMatchObject({ char: ' ', w: 0, h: 0 });
    const av = m.kerning.find(([l, r]) => l === 65 && r === 86);
    expect(av?.[2]).toBeCloseTo((-131 * 32) / 2048, 1);
    expect(m.line_height).toBeGreaterThan(32);

    expect(await sharp(result.bytes('ui.atlas.png')).metadata()).toMatchObject({ width: m.atlas.width, height: m.atlas.height, channels: 1 });
    const atlas = await sharp(result.bytes('ui.atlas.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    // Inside the stem of 'l' the SDF is above the 0.5 edge; the cell corner is far outside.
    const l = m.glyphs[String('l'.codePointAt(0))]!;
    const at = (x: number, y: number) => atlas.data[y * m.atlas.width + x]!;
    expect(at(l.x + Math.floor(l.w / 2), l.y + Math.floor(l.h / 2))).toBeGreaterThan(160);
    expect(at(l.x, l.y)).toBeLessThan(40);
    expect(result.stats).toMatchObject({ glyphs: 95, missing_glyphs: 0 });
    expect(result.diagnostics).toEqual([]);
  });

  it('writes a subset font whose cmap and advances match the source for every kept character', async () => {
    const result = await cook({ charset: 'Hello, wörld!' });
    const ot = await loadOpenType();
    const sub = result.bytes('ui.subset.otf');
    const font = ot.parse(sub.buffer.slice(sub.byteOffset, sub.byteOffset + sub.byteLength) as ArrayBuffer);
    const source = ot.parse(TTF.buffer.slice(TTF.byteOffset, TTF.byteOffset + TTF.byteLength) as ArrayBuffer);
    for (const ch of 'Helo,wörd!') {
      expect(font.hasChar(ch)).toBe(true);
      expect(font.charToGlyph(ch).advanceWidth).toBe(source.charToGlyph(ch).advanceWidth);
      expect(font.charToGlyph(ch).path.commands.length).toBe(source.charToGlyph(ch).path.commands.length);
    }
    expect(font.hasChar('z')).toBe(false);
    expect(font.glyphs.length).toBe(1 + new Set('Helo, wörd!').size);
    expect(sub.byteLength).toBeLessThan(TTF.byteLength / 20);
  });

  it('is deterministic', async () => {
    const [a, b] = await Promise.all([cook({ charset: 'abc' }), cook({ charset: 'abc' })]);
    for (const name of ['ui.json', 'ui.atlas.png', 'ui.subset.otf']) expect(a.bytes(name)).toEqual(b.bytes(name));
  });

  it('renders bitmap coverage when asked, with a tighter cell than SDF', async () => {
    const sdf = metricsOf((await cook({ charset: 'O' })).bytes('ui.json'));
    const bitmap = metricsOf((await cook({ charset: 'O', mode: 'bitmap' })).bytes('ui.json'));
    expect(bitmap.glyphs['79']!.w).toBe(sdf.glyphs['79']!.w - 8);
  });

  it('adds the characters of a charset file and records it as a discovered input', async () => {
    const path = 'sample-project/common/fonts/strings.txt';
    const result = await cook({ charset: '0123456789', charset_file: 'strings.txt' }, {}, { [path]: fixture('strings.txt') });
    const m = metricsOf(result.bytes('ui.json'));
    expect(m.glyphs[String('É'.codePointAt(0))]).toBeDefined();
    expect(m.glyphs[String('—'.codePointAt(0))]).toBeDefined();
    expect(m.glyphs['10']).toBeUndefined();
    expect(result.discovered.get(path)).toBe(true);
  });

  it('warns about charset characters the font lacks', async () => {
    const result = await cook({ charset: 'A\uAC00\u4E2D' });
    expect(result.diagnostics[0]).toMatchObject({ severity: 'warning', location: { file: FONT } });
    expect(result.diagnostics[0]!.message).toMatch(/2 character\(s\) .* U\+4E2D U\+AC00/);
    expect(metricsOf(result.bytes('ui.json')).missing).toEqual([0x4e2d, 0xac00]);
  });

  it('rejects an atlas larger than the platform allows', async () => {
    const error = await cookError(cook({ charset: 'latin1', size: 64 }, { platform: { name: 'mobile', settings: { max_atlas_size: 256 } } }));
    expect(error.message).toMatch(/glyph atlas is \d+x\d+; platform mobile allows 256x256/);
  });

  it('rejects truncated and non-font files', async () => {
    const truncated = await cookError(runRule(fontRule(), { files: { 'f/bad.ttf': fixture('truncated-DejaVuSans.ttf') }, srcs: ['f/bad.ttf'] }));
    expect(truncated).toMatchObject({ file: 'f/bad.ttf' });
    expect(truncated.message).toMatch(/not a readable TrueType\/OpenType font/);
    const text = await cookError(runRule(fontRule(), { files: { 'f/x.ttf': fixture('strings.txt') }, srcs: ['f/x.ttf'] }));
    expect(text.message).toMatch(/not a readable/);
  });

  it('validates without producing outputs', async () => {
    const result = await cook({}, {}, {});
    const validated = await runRule(fontRule(), { files: { [FONT]: TTF }, srcs: [FONT] }, 'validate');
    expect(validated.outputs).toEqual([]);
    expect(validated.stats['atlas_width']).toBe(result.stats['atlas_width']);
  });

  it('writes the same subset font bytes whatever the time of the cook', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2024-01-01T00:00:00Z'));
      const early = (await cook({ charset: 'ABC' })).bytes('ui.subset.otf');
      vi.setSystemTime(new Date('2031-06-15T12:34:56Z'));
      const late = (await cook({ charset: 'ABC' })).bytes('ui.subset.otf');
      expect(Buffer.from(late).equals(Buffer.from(early))).toBe(true);
      const ot = await loadOpenType();
      expect(ot.parse(late.buffer.slice(late.byteOffset, late.byteOffset + late.byteLength)).charToGlyph('B').unicode).toBe(66);
    } finally {
      vi.useRealTimers();
    }
  });
});
