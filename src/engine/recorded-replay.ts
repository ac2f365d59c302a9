import type { BuildReporter, BuildSummary, TargetReport } from './build-result.js';
import { readSection, type RecordView } from './tracker/build-record.js';
import type { LeafScan } from './tracker/record-leaves.js';
import { renderMaterialized, renderReport } from './tracker/rendered-report.js';

/**
 * A no-op answered from the build record's bytes (tracker/build-record.ts) without parsing its
 * reports: the reporter hears the count and the few reports that have something to say, and
 * the summary JSON's two big arrays are the record's pre-rendered sections, copied out. Used by
 * the CLI, where the summary is only printed; in-process callers get parsed reports
 * (recorded-build.ts `replayRecord`).
 */
export interface RecordedReplay {
  /** The summary without its two big arrays (`targets`, `materialized` are empty here). */
  summary: BuildSummary;
  /** The inner text of the summary JSON's `targets` array, as pieces in order; undefined when unreadable. */
  reportsText(): (Buffer | string)[] | undefined;
  /** The inner text of its `materialized` array, likewise. */
  materializedText(): (Buffer | string)[] | undefined;
  extra: unknown;
}

/**
 * Replay a record whose every leaf is as recorded (`scan` found nothing changed). Undefined when
 * the reporter needs every report (`--verbose`) or a section is unreadable: the caller then takes
 * the parsed path.
 */
export function replayRecordedBytes(view: RecordView, scan: LeafScan, reporter: BuildReporter, started: number): RecordedReplay | undefined {
  const count = view.head.targets;
  const noted = notedReports(view, scan);
  if (!noted) return undefined;
  reporter.started(count);
  if (!reporter.cachedQuietly?.(count - noted.length)) return undefined;
  for (const report of noted) reporter.actionFinished(report);
  const summary: BuildSummary = {
    platform: view.head.platform,
    executed: 0,
    cached: count,
    failed: 0,
    skipped: 0,
    durationMs: Math.round(performance.now() - started),
    filesHashed: 0,
    warnings: noted.reduce((n, t) => n + t.diagnostics.filter((d) => d.severity === 'warning').length, 0),
    targets: [],
    materialized: [],
  };
  reporter.finished(summary);
  return {
    summary,
    extra: view.head.extra,
    reportsText: () => reportsText(view, scan),
    materializedText: () => {
      if (view.head.materialized) return [renderMaterialized(view.head.materialized)];
      const bytes = readSection(view, 'materialized');
      return bytes && [bytes];
    },
  };
}

/** The reports that carry diagnostics, in target order (the delta's entries replace the base's). */
function notedReports(view: RecordView, scan: LeafScan): TargetReport[] | undefined {
  const indexes = new Set(scan.noted.filter((i) => !view.delta.has(i)));
  for (const [i, entry] of view.delta) if (entry.report.diagnostics.length > 0) indexes.add(i);
  const reports: TargetReport[] = [];
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const newer = view.delta.get(i);
    if (newer) {
      reports.push(newer.report);
      continue;
    }
    const bytes = readSection(view, 'reports', fragmentStart(scan, i), scan.reportEnds[i]);
    if (!bytes) return undefined;
    try {
      const report = JSON.parse(bytes.toString('utf8')) as TargetReport;
      if (!Array.isArray(report.diagnostics)) return undefined;
      reports.push(report);
    } catch {
      return undefined;
    }
  }
  return reports;
}

function fragmentStart(scan: LeafScan, i: number): number {
  return i === 0 ? 0 : scan.reportEnds[i - 1]! + 2;
}

/** The base's reports with the delta's fragments spliced in where they replace the base's. */
function reportsText(view: RecordView, scan: LeafScan): (Buffer | string)[] | undefined {
  const bytes = readSection(view, 'reports');
  const ends = scan.reportEnds;
  if (!bytes || (ends.length > 0 && ends[ends.length - 1] !== bytes.length) || ends.some((end, i) => end < fragmentStart(scan, i))) return undefined;
  if (view.delta.size === 0) return [bytes];
  const pieces: (Buffer | string)[] = [];
  let at = 0;
  for (const i of [...view.delta.keys()].sort((a, b) => a - b)) {
    const start = fragmentStart(scan, i);
    if (start > at) pieces.push(bytes.subarray(at, start));
    pieces.push(renderReport(view.delta.get(i)!.report));
    at = scan.reportEnds[i]!;
  }
  if (at < bytes.length) pieces.push(bytes.subarray(at));
  return pieces;
}
