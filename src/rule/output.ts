import type { AssetMeta } from '../format/asset-meta.js';
import type { Part, PartLayout } from '../format/part.js';
import type { Digest } from '../hash/digest.js';

export type { PartLayout } from '../format/part.js';

/**
 * What a rule passes to `ctx.output(name, bytes, meta)`: its asset type's typed meta (see
 * src/format/*-meta.ts), plus where the output's parts lie. The engine hashes each part once,
 * there, and records it in the output record; `parts` never stays in `meta`.
 */
export type OutputMeta = AssetMeta & { parts?: PartLayout[] };

/** One file a rule produced, stored in the CAS under `digest`. */
export type OutputRecord = {
  /** Path relative to the package's output folder, e.g. `bark.ktx2` or `rocks/rock_01.ktx2`. */
  name: string;
  digest: Digest;
  meta: AssetMeta;
  /** Independently usable pieces in the order the rule listed them, each with its SHA-256. */
  parts: Part[];
};
