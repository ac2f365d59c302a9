/**
 * Which LODs to build. A target (or its per-platform override) may give ratios (`lods`) or
 * error targets (`lod_errors`); otherwise the platform profile's apply (its schema has the defaults).
 */
import { RuleError } from '../../src/rule/rule-error.js';

export interface LodLevel {
  /** Fraction of LOD0's triangles to aim for (1 = keep everything). */
  ratio: number;
  /** Largest simplification error allowed, relative to the mesh's extent. */
  error: number;
}

export interface LodSpec {
  lods?: number[] | undefined;
  lod_errors?: number[] | undefined;
  lod_error?: number | undefined;
}

/** A platform profile always has ratios and an error cap (schema defaults); `lod_errors` is optional. */
export interface PlatformLodSpec {
  lods: number[];
  lod_errors?: number[] | undefined;
  lod_error: number;
}

export function lodLevels(target: LodSpec, platform: PlatformLodSpec): LodLevel[] {
  if (target.lods && target.lod_errors) {
    throw new RuleError('set either "lods" (ratios) or "lod_errors" (error targets), not both');
  }
  const errors = target.lod_errors ?? (target.lods ? undefined : platform.lod_errors);
  if (errors) {
    // The finest level is always the unsimplified mesh; each error target is a coarser level.
    const sorted = [...errors].sort((a, b) => a - b);
    return [{ ratio: 1, error: 0 }, ...sorted.filter((e) => e > 0).map((error) => ({ ratio: 0, error }))];
  }
  const ratios = target.lods ?? platform.lods;
  const error = target.lod_error ?? platform.lod_error;
  const sorted = [...new Set(ratios)].sort((a, b) => b - a);
  return sorted.map((ratio) => ({ ratio, error: ratio >= 1 ? 0 : error }));
}
