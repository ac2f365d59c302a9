import type { TargetGraph } from '../graph/target-graph.js';
import type { BuildReporter, TargetReport } from './build-result.js';
import { resultFacts } from './action-report.js';
import type { TalliedReports } from './last-build.js';
import type { ActionInput, ActionValue } from './requests/action.js';
import type { NodeOutcome } from './run-dag.js';
import type { RequestTracker } from './tracker/request-tracker.js';

/**
 * A watch build on a new graph: every target whose action is still valid (the save did not
 * touch it) is reported cached without scheduling; returns the rest, what must run. Invalidation
 * reaches every dependent, so the rest is closed under "depends on", and its dependencies
 * outside it are done. Reports are reused while the action's value is the same object.
 */
export function reportUnchanged(
  tracker: RequestTracker,
  action: { name: string; key(input: ActionInput): string },
  inputOf: (label: string) => ActionInput,
  graph: TargetGraph,
  nodes: readonly string[],
  cachedReports: WeakMap<ActionValue, TargetReport>,
  reports: TalliedReports,
  reporter: BuildReporter,
  dagOutcomes: Map<string, NodeOutcome>,
): string[] {
  const pending: string[] = [];
  for (const label of nodes) {
    const value = tracker.currentValue<ActionInput, ActionValue>(action, inputOf(label));
    if (!value) {
      pending.push(label);
      continue;
    }
    let report = cachedReports.get(value);
    if (!report || report.label !== label) {
      const decl = graph.target(label);
      report = { label, rule: decl.rule, status: 'cached', durationMs: 0, ...resultFacts(value) };
      cachedReports.set(value, report);
    }
    reports.set(label, report);
    reporter.actionFinished(report);
    dagOutcomes.set(label, 'ok');
  }
  return pending;
}
