import type { TargetGraph } from '../graph/target-graph.js';
import type { BuildReporter, TargetReport } from './build-result.js';
import { ACTION_KIND } from './requests/action.js';

/**
 * What a builder keeps of its last build for the next one in a watch session: while the graph
 * stays the same object, a build looks only at the targets whose requests the tracker
 * invalidated since (its `takeInvalidated`) and at those that did not finish — O(changed), not
 * O(workspace) — and keeps everyone else's report and kiln-out paths.
 */
export interface LastBuild {
  graph: TargetGraph;
  /** Updated in place by the next build on the same graph. */
  reports: Map<string, TargetReport>;
  /** Requested targets' kiln-out paths. */
  paths: Map<string, string[]>;
  /** Position of each label in the graph's topological order. */
  index: Map<string, number>;
  /** Targets that failed, were skipped or never ran. */
  unfinished: Set<string>;
}

/**
 * The targets a watch build on the last build's graph must run (in dependency order) and the
 * requested ones whose kiln-out request alone was invalidated. Every other target keeps its
 * report, handed to the reporter (one executed last time is cached now).
 */
export function watchWorklist(last: LastBuild, invalidated: ReadonlySet<string>, platform: string, reporter: BuildReporter): { pending: string[]; rematerialize: Set<string> } {
  const actionPrefix = `${ACTION_KIND}:${platform}|`;
  const materializePrefix = `materialize:${platform}|`;
  const todo = new Set<string>(last.unfinished);
  const rematerialize = new Set<string>();
  for (const id of invalidated) {
    if (id.startsWith(actionPrefix)) todo.add(id.slice(actionPrefix.length));
    else if (id.startsWith(materializePrefix)) rematerialize.add(id.slice(materializePrefix.length));
  }
  const pending = [...todo].filter((label) => last.index.has(label)).sort((a, b) => last.index.get(a)! - last.index.get(b)!);
  const reports = last.reports;
  // A pending target's old report must not outlive this build if it does not get to run.
  for (const label of pending) reports.delete(label);
  for (const [label, report] of reports) {
    // Executed last time, untouched since: cached now (converted once, then the same object).
    const kept = report.status === 'executed' ? cachedAgain(report) : report;
    if (kept !== report) reports.set(label, kept);
    reporter.actionFinished(kept);
  }
  return { pending, rematerialize };
}

/**
 * The build's reports in graph order, counted in one pass (a watch build at 10k targets used to
 * count them five times over), and the targets that did not finish (failed, skipped, no report).
 */
export function collectReports(notAnalysed: readonly TargetReport[], order: readonly string[], reports: ReadonlyMap<string, TargetReport>): { targets: TargetReport[]; counts: Record<'executed' | 'cached' | 'failed' | 'skipped' | 'warnings', number>; unfinished: Set<string> } {
  const targets = [...notAnalysed];
  const unfinished = new Set<string>();
  for (const label of order) {
    const report = reports.get(label);
    if (report) targets.push(report);
    else unfinished.add(label);
  }
  const counts = { executed: 0, cached: 0, failed: 0, skipped: 0, warnings: 0 };
  for (const t of targets) {
    if (t.status === 'cached') counts.cached++;
    else if (t.status === 'executed') counts.executed++;
    else {
      if (t.status === 'failed') counts.failed++;
      else counts.skipped++;
      unfinished.add(t.label);
    }
    if (t.diagnostics.length > 0) for (const d of t.diagnostics) if (d.severity === 'warning') counts.warnings++;
  }
  return { targets, counts, unfinished };
}

function cachedAgain(report: TargetReport): TargetReport {
  const { reasons: _reasons, ranIn: _ranIn, ...rest } = report;
  return { ...rest, status: 'cached', durationMs: 0 };
}
