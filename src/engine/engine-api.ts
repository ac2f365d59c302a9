/**
 * What layers above the engine (watch, the studio) may use besides the Builder itself: asset ids
 * of labels and the location of an error that stopped a build, as data. They never import
 * src/workspace/ or the digester directly.
 */
import { LocatedError, LocatedErrors } from '../workspace/located-error.js';

export { assetIdOf } from '../workspace/label.js';

export interface BuildErrorLocation {
  /** The label the error is about, or `assets.yaml` for the root file. */
  label?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Where an error thrown by `Builder.build` points (a broken root or package file, a cycle). */
export function buildErrorLocation(error: unknown): BuildErrorLocation | undefined {
  const first = error instanceof LocatedErrors ? error.errors[0] : error instanceof LocatedError ? error : undefined;
  if (!first?.where) return undefined;
  const { file, line, column } = first.where;
  const label = first.label ?? (file === 'assets.yaml' ? 'assets.yaml' : undefined);
  return { ...(label !== undefined ? { label } : {}), file, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
}
