/**
 * The font pipeline between parsing and packing: which code points have glyphs, each glyph's
 * metrics and rasterized cell, kerning between the kept glyphs, and — once the packer has placed
 * the cells — the atlas pixels and the metrics table.
 */
import type { Placed } from '../ui/pack-rects.js';
import { kerningLookup, loadOpenType, parseFont } from './open-font.js';
import { flatten, type GlyphBitmap, rasterize } from './rasterize-glyph.js';
import { subsetFont } from './subset-font.js';

export interface BuildOptions {
  size: number;
  mode: 'sdf' | 'bitmap';
  sdf_range: number;
}

interface GlyphCell extends GlyphBitmap {
  codePoint: number;
}

interface GlyphEntry {
  char: string;
  advance: number;
  bearing_x: number;
  bearing_y: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface BuiltFont {
  mode: 'sdf' | 'bitmap';
  size: number;
  glyphCount: number;
  missing: number[];
  cells: GlyphCell[];
  kerning: [number, number, number][];
  atlas: Uint8Array;
  atlasWidth: number;
  atlasHeight: number;
  place(width: number, height: number, placed: readonly Placed[]): void;
  metrics(): Record<string, unknown>;
  subset(): Promise<Uint8Array>;
}

/** Pixel values rounded to 1/64 px (26.6 fixed point, as font rasterizers do) keep the JSON short. */
const px = (value: number) => Math.round(value * 64) / 64;

export async function buildFont(bytes: Uint8Array, file: string, codePoints: readonly number[], options: BuildOptions): Promise<BuiltFont> {
  const ot = await loadOpenType();
  const font = parseFont(ot, bytes, file);
  const scale = options.size / font.unitsPerEm;
  const names = font.names as unknown as Record<string, Record<string, Record<string, string>> | undefined>;
  const nameOf = (key: string) => names['windows']?.[key]?.['en'] ?? names['macintosh']?.[key]?.['en'] ?? '';
  const family = nameOf('fontFamily') || 'Unknown';
  const style = nameOf('fontSubfamily') || 'Regular';

  const present: { cp: number; glyph: ReturnType<typeof font.charToGlyph> }[] = [];
  const missing: number[] = [];
  for (const cp of codePoints) {
    const glyph = font.charToGlyph(String.fromCodePoint(cp));
    if (!glyph || glyph.index === 0) missing.push(cp);
    else present.push({ cp, glyph });
  }

  const glyphs = new Map<number, GlyphEntry>();
  const cells: GlyphCell[] = [];
  for (const { cp, glyph } of present) {
    const bitmap = rasterize(flatten(glyph.getPath(0, 0, options.size).commands), options.mode, options.sdf_range);
    glyphs.set(cp, {
      char: String.fromCodePoint(cp),
      advance: px((glyph.advanceWidth ?? 0) * scale),
      bearing_x: bitmap?.left ?? 0,
      bearing_y: bitmap ? -bitmap.top : 0,
      x: 0, y: 0, w: bitmap?.width ?? 0, h: bitmap?.height ?? 0,
    });
    if (bitmap) cells.push({ ...bitmap, codePoint: cp });
  }

  const kern = kerningLookup(font);
  const kerning: [number, number, number][] = [];
  for (const left of present) {
    for (const right of present) {
      const value = kern(left.glyph.index, right.glyph.index);
      if (value !== 0) kerning.push([left.cp, right.cp, px(value * scale)]);
    }
  }

  const hhea = (font.tables as { hhea?: { lineGap?: number } }).hhea;
  const built: BuiltFont = {
    mode: options.mode,
    size: options.size,
    glyphCount: present.length,
    missing,
    cells,
    kerning,
    atlas: new Uint8Array(0),
    atlasWidth: 0,
    atlasHeight: 0,
    place(width, height, placed) {
      const atlas = new Uint8Array(width * height);
      const byCp = new Map(cells.map((c) => [c.codePoint, c]));
      for (const p of placed) {
        const cell = byCp.get(Number(p.id))!;
        for (let row = 0; row < cell.height; row++) {
          atlas.set(cell.pixels.subarray(row * cell.width, (row + 1) * cell.width), (p.y + row) * width + p.x);
        }
        const entry = glyphs.get(cell.codePoint)!;
        entry.x = p.x;
        entry.y = p.y;
      }
      built.atlas = atlas;
      built.atlasWidth = width;
      built.atlasHeight = height;
    },
    metrics() {
      return {
        family,
        style,
        size: options.size,
        mode: options.mode,
        sdf_range: options.mode === 'sdf' ? options.sdf_range : null,
        units_per_em: font.unitsPerEm,
        ascender: px(font.ascender * scale),
        descender: px(font.descender * scale),
        line_height: px((font.ascender - font.descender + (hhea?.lineGap ?? 0)) * scale),
        glyphs: Object.fromEntries([...glyphs].map(([cp, g]) => [String(cp), g])),
        kerning,
        missing,
      };
    },
    async subset() {
      return subsetFont(ot, font, present.map((p) => p.cp), family, style);
    },
  };
  return built;
}
