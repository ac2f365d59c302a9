/** What a UI atlas's outputs carry: the atlas PNG (main) and its rectangles JSON. */
import { meta, readOneOf, readSpec, type MetaOf } from './meta-spec.js';

export const UI_META = {
  format: meta.literal('png'),
  width: meta.int,
  height: meta.int,
  sprites: meta.int,
  /** Output name of the rectangles JSON. */
  rects: meta.string,
};
export type UiMeta = MetaOf<typeof UI_META>;

export const UI_RECTS_META = { format: meta.literal('json') };
export type UiRectsMeta = MetaOf<typeof UI_RECTS_META>;

export type UiOutputMeta = UiMeta | UiRectsMeta;

export function readUiMeta(value: unknown, where: string): UiOutputMeta {
  return readOneOf<UiOutputMeta>([(v, w) => readSpec(UI_META, v, w), (v, w) => readSpec(UI_RECTS_META, v, w)], value, where);
}
