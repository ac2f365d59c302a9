import type { TargetGraph } from '../graph/target-graph.js';
import { type BuildReporter, type TargetReport, silentReporter } from './build-result.js';
import type { BuildDelta } from './build-request.js';
import { ACTION_KIND } from './requests/action.js';

export type ReportCounts = Record<'executed' | 'cached' | 'failed' | 'skipped' | 'warnings', number>;

/**
 * A build's reports by label, counted as they are set and removed: a watch build that replaces
 * three reports of 100,000 gets its counts, its failed targets and last build's executed ones
 * without a pass over all of them.
 */
export class TalliedReports extends Map<string, TargetReport> {
  readonly counts: ReportCounts = { executed: 0, cached: 0, failed: 0, skipped: 0, warnings: 0 };
  /** Labels reported executed (the next watch build reports them cached). */
  readonly executed = new Set<string>();
  /** Labels reported failed or skipped. */
  readonly unfinished = new Set<string>();

  override set(label: string, report: TargetReport): this {
    const old = super.get(label);
    if (old) this.count(label, old, -1);
    this.count(label, report, 1);
    return super.set(label, report);
  }

  override delete(label: string): boolean {
    const old = super.get(label);
    if (old) this.count(label, old, -1);
    return super.delete(label);
  }

  override clear(): void {
    super.clear();
    for (const key of Object.keys(this.counts) as (keyof ReportCounts)[]) this.counts[key] = 0;
    this.executed.clear();
    this.unfinished.clear();
  }

  private count(label: string, report: TargetReport, by: 1 | -1): void {
    this.counts[report.status] += by;
    for (const d of report.diagnostics) if (d.severity === 'warning') this.counts.warnings += by;
    const set = report.status === 'executed' ? this.executed : report.status === 'cached' ? undefined : this.unfinished;
    if (by === 1) set?.add(label);
    else set?.delete(label);
  }
}

/**
 * What a builder keeps of its last build for the next one in a watch session: while the graph
 * stays the same object, a build looks only at the targets whose requests the tracker
 * invalidated since (its `takeInvalidated`) and at those that did not finish — O(changed), not
 * O(workspace) — and keeps everyone else's report and kiln-out paths, updated in place.
 */
export interface LastBuild {
  graph: TargetGraph;
  /** Updated in place by the next build on the same graph. */
  reports: TalliedReports;
  /** Requested targets' kiln-out paths (updated in place, like `reports`). */
  paths: Map<string, string[]>;
  /** Position of each label in the graph's topological order. */
  index: Map<string, number>;
  /** Targets without a report at the end of the build (a run stopped early). */
  missing: Set<string>;
  /**
   * Whether `reports` and `paths` cover every target of the graph (a full, materializing build):
   * only then can a watch build keep what it does not look at.
   */
  complete: boolean;
  /** The build's number in its builder (see BuildDelta). */
  seq: number;
  /** Targets whose report changed since build `seq` (kept when a build throws half-way). */
  touched: Set<string>;
}

/**
 * The targets a watch build on the last build's graph must run (in dependency order) and the
 * requested ones whose kiln-out request alone was invalidated. Every other target keeps its
 * report; one executed last time is cached now (and handed to the reporter, when one listens).
 */
export function watchWorklist(last: LastBuild, invalidated: ReadonlySet<string>, platform: string, reporter: BuildReporter): { pending: string[]; rematerialize: Set<string> } {
  const actionPrefix = `${ACTION_KIND}:${platform}|`;
  const materializePrefix = `materialize:${platform}|`;
  const reports = last.reports;
  const todo = new Set<string>([...reports.unfinished, ...last.missing]);
  const rematerialize = new Set<string>();
  for (const id of invalidated) {
    if (id.startsWith(actionPrefix)) todo.add(id.slice(actionPrefix.length));
    else if (id.startsWith(materializePrefix)) rematerialize.add(id.slice(materializePrefix.length));
  }
  const pending = [...todo].filter((label) => last.index.has(label)).sort((a, b) => last.index.get(a)! - last.index.get(b)!);
  // A pending target's old report must not outlive this build if it does not get to run.
  for (const label of pending) {
    reports.delete(label);
    last.touched.add(label);
  }
  for (const label of rematerialize) last.touched.add(label);
  // Executed last time, untouched since: cached now (converted once, then the same object). Not
  // a change of outcome, so not in `touched`: its outputs are the ones last build reported.
  for (const label of [...reports.executed]) reports.set(label, cachedAgain(reports.get(label)!));
  // Progress for every kept report: O(workspace), so only when someone is listening.
  if (reporter !== silentReporter) for (const report of reports.values()) reporter.actionFinished(report);
  return { pending, rematerialize };
}

/** What a full build leaves for the watch builds after it. */
export function lastBuildOf(graph: TargetGraph, order: readonly string[], reports: TalliedReports, paths: Map<string, string[]>, complete: boolean, seq: number): LastBuild {
  const missing = new Set(order.filter((label) => !reports.has(label)));
  return { graph, reports, paths, index: new Map(order.map((label, i) => [label, i])), missing, complete, seq, touched: new Set() };
}

/**
 * The end of a watch build on the last build's graph: its counts (kept as reports were set;
 * what could not be analysed is not among them) and its delta; `last` now describes this build.
 */
export function concludeWatchBuild(last: LastBuild, notAnalysed: readonly TargetReport[], pending: readonly string[], seq: number): { counts: ReportCounts; delta: BuildDelta } {
  const counts = countReports(notAnalysed);
  for (const key of Object.keys(counts) as (keyof ReportCounts)[]) counts[key] += last.reports.counts[key];
  last.missing = new Set(pending.filter((label) => !last.reports.has(label)));
  const delta = deltaOf(last, seq);
  last.seq = seq;
  last.touched = new Set();
  return { counts, delta };
}

/** The delta a watch build hands back: its touched targets' reports in dependency order, relative to build `last.seq`. */
function deltaOf(last: LastBuild, seq: number): BuildDelta {
  const labels = [...last.touched].filter((label) => last.index.has(label)).sort((a, b) => last.index.get(a)! - last.index.get(b)!);
  const targets: TargetReport[] = [];
  for (const label of labels) {
    const report = last.reports.get(label);
    if (report) targets.push(report);
  }
  return { seq, since: last.seq, targets };
}

/**
 * The build's reports in graph order, counted in one pass (a watch build at 10k targets used to
 * count them five times over), and the targets that did not finish (failed, skipped, no report).
 */
export function collectReports(notAnalysed: readonly TargetReport[], order: readonly string[], reports: ReadonlyMap<string, TargetReport>): { targets: TargetReport[]; counts: ReportCounts; unfinished: Set<string> } {
  const targets = [...notAnalysed];
  const unfinished = new Set<string>();
  for (const label of order) {
    const report = reports.get(label);
    if (report) targets.push(report);
    else unfinished.add(label);
  }
  const counts = countReports(targets);
  for (const t of targets) if (t.status === 'failed' || t.status === 'skipped') unfinished.add(t.label);
  return { targets, counts, unfinished };
}

export function countReports(targets: readonly TargetReport[]): ReportCounts {
  const counts = { executed: 0, cached: 0, failed: 0, skipped: 0, warnings: 0 };
  for (const t of targets) {
    counts[t.status]++;
    if (t.diagnostics.length > 0) for (const d of t.diagnostics) if (d.severity === 'warning') counts.warnings++;
  }
  return counts;
}

function cachedAgain(report: TargetReport): TargetReport {
  const { reasons: _reasons, ranIn: _ranIn, ...rest } = report;
  return { ...rest, status: 'cached', durationMs: 0 };
}
