/** What a script's outputs carry: the bundle (main) and its source map. */
import { meta, readOneOf, readSpec, type MetaOf } from './meta-spec.js';

export const SCRIPT_META = {
  format: meta.literal('esm', 'iife', 'cjs'),
  /** Workspace-relative modules bundled in, sorted. */
  modules: meta.list(meta.string),
  /** Output name of the source map, or null. */
  sourcemap: meta.nullable(meta.string),
};
export type ScriptMeta = MetaOf<typeof SCRIPT_META>;

export const SOURCE_MAP_META = { format: meta.literal('sourcemap') };
export type SourceMapMeta = MetaOf<typeof SOURCE_MAP_META>;

export type ScriptOutputMeta = ScriptMeta | SourceMapMeta;

export function readScriptMeta(value: unknown, where: string): ScriptOutputMeta {
  return readOneOf<ScriptOutputMeta>([(v, w) => readSpec(SCRIPT_META, v, w), (v, w) => readSpec(SOURCE_MAP_META, v, w)], value, where);
}
