import type { BuildSummary, TargetReport } from './build-result.js';

/**
 * A summary whose big arrays are still bytes: a build answered (in part) by its record keeps the
 * unchanged targets' reports as the record's pre-rendered text. `targets` and `materialized` are
 * then parsed only when read; a caller that only prints the summary (the CLI) writes these
 * pieces instead, splicing them into the rest (see cli/summary-json.ts).
 */
export interface RenderedSummary {
  /** The reports that were not simply replayed from the record (those that ran or were rebuilt). */
  readonly spoken: readonly TargetReport[];
  /** The inner text of the summary JSON's `targets` array, as pieces in order. */
  reportsText(): (Buffer | string)[];
  /** The inner text of its `materialized` array. */
  materializedText(): (Buffer | string)[];
}

const RENDERED = Symbol('kiln.rendered-summary');

/** Attach the pre-rendered pieces to a summary (off JSON and object spreads). */
export function withRendered<T extends BuildSummary>(summary: T, rendered: RenderedSummary): T {
  return Object.defineProperty(summary, RENDERED, { value: rendered, enumerable: false });
}

export function renderedOf(summary: BuildSummary): RenderedSummary | undefined {
  return (summary as { [RENDERED]?: RenderedSummary })[RENDERED];
}

/** Make a summary's property computed on first read (and replaceable), keeping its place in key order. */
export function lazyProperty<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  let value: T[K] | undefined;
  let known = false;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!known) {
        value = compute();
        known = true;
      }
      return value;
    },
    set: (next: T[K]) => {
      value = next;
      known = true;
    },
  });
}
