import type { SourceRef } from '../rule/context.js';
import type { OutputRecord } from '../rule/output.js';

/**
 * Reference read rate for `estimatedLoadMs`: 100 MB/s, a conservative figure for console and
 * phone flash storage and a fast CDN. The estimate is for comparing assets and budgets, not a
 * promise about a device.
 */
export const LOAD_BYTES_PER_MS = 100_000;

/** The same size figures for every target, whatever its rule (the seed's AssetStats). */
export interface SizeReport {
  sourceBytes: number;
  outputBytes: number;
  /** Size in memory once decoded (the rule's `uncompressed_bytes` stat), else the output size. */
  uncompressedBytes: number;
  estimatedLoadMs: number;
}

export function sizeReport(srcs: readonly SourceRef[], outputs: readonly OutputRecord[], stats: Record<string, number | string | boolean>): SizeReport {
  const outputBytes = outputs.reduce((sum, o) => sum + o.digest.size, 0);
  const declared = stats.uncompressed_bytes;
  return {
    sourceBytes: srcs.reduce((sum, s) => sum + s.digest.size, 0),
    outputBytes,
    uncompressedBytes: typeof declared === 'number' ? declared : outputBytes,
    estimatedLoadMs: Math.round((outputBytes / LOAD_BYTES_PER_MS) * 100) / 100,
  };
}
