import { diagnosticError } from '../diagnostic/diagnostic.js';
import type { BuildReporter, BuildSummary, TargetReport } from './build-result.js';
import type { RecordView } from './tracker/build-record.js';
import { readSection } from './tracker/record-read.js';
import type { LeafScan } from './tracker/record-leaves.js';
import { renderReport } from './tracker/rendered-report.js';

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
 * Replay a record whose every leaf is as recorded (`scan` found nothing changed); `started` is on
 * the `process.uptime()` clock, in ms. Undefined when
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
    durationMs: Math.round(process.uptime() * 1e3 - started),
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
  return bytes && validEnds(bytes, scan) ? splicedReports(bytes, scan, new Map([...view.delta].map(([i, entry]) => [i, entry.report]))) : undefined;
}

/** Whether the leaf table's report offsets fit the reports section (they are outside data too). */
export function validEnds(bytes: Buffer, scan: LeafScan): boolean {
  return validEndsFor(bytes.length, scan);
}

/** The same for a reports section of `length` bytes (before it is read). */
export function validEndsFor(length: number, scan: LeafScan): boolean {
  const ends = scan.reportEnds;
  return (ends.length === 0 ? length === 0 : ends[ends.length - 1] === length) && ends.every((end, i) => end >= fragmentStart(scan, i));
}

/**
 * The reports section as pieces, with the fragments of `replaced` targets rendered anew. A
 * missing report is not expected (callers pass a report for each replaced target).
 */
export function splicedReports(bytes: Buffer, scan: LeafScan, replaced: ReadonlyMap<number, TargetReport>): (Buffer | string)[] {
  if (replaced.size === 0) return [bytes];
  const pieces: (Buffer | string)[] = [];
  let at = 0;
  for (const i of [...replaced.keys()].sort((a, b) => a - b)) {
    const start = fragmentStart(scan, i);
    if (start > at) pieces.push(bytes.subarray(at, start));
    pieces.push(renderReport(replaced.get(i)!));
    at = scan.reportEnds[i]!;
  }
  if (at < bytes.length) pieces.push(bytes.subarray(at));
  return pieces;
}

/**
 * The recorded reports of a base's reports section, parsed on demand: one (a fragment), or all
 * (the whole section); the delta's entries replace the base's. A section that does not parse is
 * an error here, since the record already checked out: its bytes were read and are in memory.
 */
export function recordedReports(bytes: Buffer, scan: LeafScan, view: RecordView, labels: readonly string[]): { one(i: number): TargetReport; all(): TargetReport[] } {
  if (!validEnds(bytes, scan)) throw diagnosticError('cache-entry-invalid', `the build record ${view.basePath} does not match its own leaf table: delete it and build again`);
  let all: TargetReport[] | undefined;
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw diagnosticError('cache-entry-invalid', `the build record ${view.basePath} holds a report that is not JSON: delete it and build again`);
    }
  };
  const checked = (report: unknown, i: number): TargetReport => {
    const r = report as Partial<TargetReport> | null;
    if (typeof r !== 'object' || r === null || r.label !== labels[i] || !Array.isArray(r.diagnostics) || !Array.isArray(r.outputs)) throw diagnosticError('cache-entry-invalid', `the build record ${view.basePath} holds a report for another target: delete it and build again`);
    return r as TargetReport;
  };
  return {
    one: (i) => view.delta.get(i)?.report ?? checked(parse(bytes.toString('utf8', fragmentStart(scan, i), scan.reportEnds[i])), i),
    all: () => {
      if (all) return all;
      const parsed = parse(`[${bytes.toString('utf8')}]`);
      if (!Array.isArray(parsed) || parsed.length !== labels.length) throw diagnosticError('cache-entry-invalid', `the build record ${view.basePath} holds another number of reports than targets: delete it and build again`);
      return (all = parsed.map((report, i) => view.delta.get(i)?.report ?? checked(report, i)));
    },
  };
}
