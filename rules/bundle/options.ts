/**
 * The `bundle` rule's options, declared once (schema, default, description; type inferred): how
 * the bundle is packed, plus the budget attributes (`max_download_bytes`, …) that src/budget/
 * checks after the build. A leaf: index.ts and cook-bundle.ts import it.
 */
import { budgetLimitShape } from '../../src/budget/budget-limits.js';
import { GROUPING_STRATEGIES } from '../../src/bundle/grouping.js';
import { COMPRESSIONS } from '../../src/format/index-format.js';
import { type Infer, s } from '../../src/rule/schema.js';

export const BUNDLE_OPTIONS = s.object({
  // One tar file (`none`), or by `type`, `usage` (per root, with a `shared` file), `level` (package) or `priority`.
  group_by: s.enum(GROUPING_STRATEGIES).default('none').describe('none | type | usage | level | priority'),
  // Largest bundle file before a group is split into more files.
  max_size: s.integer({ min: 0 }).default(0).describe('split a group into several files above this many bytes (0 = never)'),
  // A power of two; up to 512 costs nothing.
  alignment: s.integer({ min: 1, max: 1 << 20 }).default(512).describe('entry data alignment in bytes (power of two)'),
  // Per non-streamed entry; streamed entries (mips, LODs, chunks) are stored as is.
  compression: s.enum(COMPRESSIONS).default('zstd').describe('zstd | gzip | none, per entry, kept only if smaller'),
  ...budgetLimitShape,
});
export type BundleOptions = Infer<typeof BUNDLE_OPTIONS>;
