/** What a font's outputs carry: glyph metrics (main), the glyph atlas PNG, and the optional subset font. */
import { meta, readOneOf, readSpec, type MetaOf } from './meta-spec.js';

export const FONT_META = {
  format: meta.literal('json'),
  glyphs: meta.int,
  mode: meta.literal('sdf', 'bitmap'),
  size: meta.number,
  /** Output name of the atlas PNG. */
  atlas: meta.string,
};
export type FontMeta = MetaOf<typeof FONT_META>;

export const FONT_ATLAS_META = { format: meta.literal('png'), width: meta.int, height: meta.int, channels: meta.int };
export type FontAtlasMeta = MetaOf<typeof FONT_ATLAS_META>;

export const FONT_SUBSET_META = { format: meta.literal('otf') };
export type FontSubsetMeta = MetaOf<typeof FONT_SUBSET_META>;

export type FontOutputMeta = FontMeta | FontAtlasMeta | FontSubsetMeta;

export function readFontMeta(value: unknown, where: string): FontOutputMeta {
  return readOneOf<FontOutputMeta>(
    [(v, w) => readSpec(FONT_META, v, w), (v, w) => readSpec(FONT_ATLAS_META, v, w), (v, w) => readSpec(FONT_SUBSET_META, v, w)],
    value,
    where,
  );
}
