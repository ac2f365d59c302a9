import type { TargetReport } from '../build-result.js';

/**
 * Reports and kiln-out paths pre-rendered exactly as the summary JSON prints them (inside
 * `JSON.stringify(summary, null, 2)`, array elements sit four spaces deep), so a no-op copies the
 * record's bytes out instead of parsing and re-printing ~50 MB at 100k targets.
 */

/** One element of the summary's `targets` array, without the separating `,\n`. */
export function renderReport(report: TargetReport): string {
  // JSON strings never hold a raw newline: every newline here is the pretty printer's.
  return `    ${JSON.stringify(report, null, 2).replaceAll('\n', '\n    ')}`;
}

/** The inner text of the summary's `materialized` array. */
export function renderMaterialized(paths: readonly string[]): string {
  return paths.map((path) => `    ${JSON.stringify(path)}`).join(',\n');
}
