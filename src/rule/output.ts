import type { Digest } from '../hash/digest.js';

/**
 * A piece of an output the runtime can fetch and use on its own, before the rest arrives:
 * a texture mip level, a model LOD, an audio chunk, or a header the others need.
 * `offset`/`size` are byte ranges inside the output blob.
 */
export type StreamPart = {
  kind: 'header' | 'mip' | 'lod' | 'chunk';
  /** mip level (0 = full size), LOD (0 = finest) or chunk number (0 = first). */
  index: number;
  offset: number;
  size: number;
};

/** Free-form, JSON-safe facts a rule attaches to an output (dimensions, format, parts…). */
export type OutputMeta = {
  [key: string]: MetaValue;
};
export type MetaValue = null | boolean | number | string | MetaValue[] | { [key: string]: MetaValue } | StreamPart[];

/** One file a rule produced, stored in the CAS under `digest`. */
export type OutputRecord = {
  /** Path relative to the package's output folder, e.g. `bark.ktx2` or `rocks/rock_01.ktx2`. */
  name: string;
  digest: Digest;
  meta: OutputMeta;
};
