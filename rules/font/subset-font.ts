/**
 * A new font holding only `.notdef` and the glyphs the charset needs, written by opentype.js.
 * opentype.js always writes CFF outlines, so a TrueType source becomes an `.otf`; it writes no
 * GPOS/kern, which is why kerning travels in the metrics JSON instead.
 */
import type * as OpenType from 'opentype.js';
import type { OpenTypeApi } from './open-font.js';
import { pinFontTimestamps } from './pin-font-timestamps.js';

export function subsetFont(ot: OpenTypeApi, font: OpenType.Font, codePoints: readonly number[], family: string, style: string): Uint8Array {
  const glyphs: OpenType.Glyph[] = [];
  const notdef = font.glyphs.get(0);
  glyphs.push(new ot.Glyph({ name: '.notdef', advanceWidth: notdef.advanceWidth ?? font.unitsPerEm / 2, path: notdef.path }));
  for (const cp of codePoints) {
    const source = font.charToGlyph(String.fromCodePoint(cp));
    if (!source || source.index === 0) continue;
    glyphs.push(new ot.Glyph({
      name: source.name ?? `uni${cp.toString(16).toUpperCase().padStart(4, '0')}`,
      unicode: cp,
      advanceWidth: source.advanceWidth ?? 0,
      path: source.path,
    }));
  }
  const subset = new ot.Font({
    familyName: family,
    styleName: style,
    unitsPerEm: font.unitsPerEm,
    ascender: font.ascender,
    descender: font.descender,
    glyphs,
  });
  // Pin head.created/modified to the source font's own date (opentype.js would write "now").
  const sourceHead = font.tables.head as { modified?: number; created?: number } | undefined;
  const stamp = BigInt(Math.max(0, Math.trunc(sourceHead?.modified ?? sourceHead?.created ?? 0)));
  return pinFontTimestamps(new Uint8Array(subset.toArrayBuffer()), stamp);
}
