/**
 * Budgets against one build: each budget's scope is resolved in the build's graph, measured from
 * the build's reports, and every limit becomes a result — under, at (still fine) or over. A budget
 * whose scope the build did not cover entirely (other targets, or failures) is listed as unchecked
 * with why, never measured on a part.
 */
import type { Diagnostic } from '../diagnostic/diagnostic.js';
import type { TargetGraph } from '../graph/target-graph.js';
import { LocatedError, type SourcePosition } from '../workspace/located-error.js';
import type { AssetFacts } from './asset-facts.js';
import { BUDGET_MEASURES, type BudgetMeasure, type BudgetSeverity } from './budget-limits.js';
import type { BudgetSpec } from './budget-spec.js';
import { measureScope, type Contribution, type ScopeMembers } from './measure-scope.js';

/** How many of the largest contributors a result names. */
export const TOP_OFFENDERS = 3;

export type BudgetStatus = 'under' | 'at' | 'over';

export interface BudgetResult {
  scope: string;
  measure: BudgetMeasure;
  use: number;
  limit: number;
  status: BudgetStatus;
  severity: BudgetSeverity;
  /** The largest contributors, largest first. */
  offenders: Contribution[];
  where: SourcePosition;
}

export interface BudgetReport {
  platform: string;
  results: BudgetResult[];
  unchecked: { scope: string; reason: string }[];
  /** Results over budget with severity error (the build fails when > 0) and warning. */
  errors: number;
  warnings: number;
}

export interface BudgetCheckInput {
  platform: string;
  specs: readonly BudgetSpec[];
  graph: TargetGraph;
  facts: ReadonlyMap<string, AssetFacts>;
  /** Labels a root budget's pattern matches (bundle budgets match their own label). */
  expand: (pattern: string) => string[];
}

export function checkBudgets(input: BudgetCheckInput): BudgetReport {
  const report: BudgetReport = { platform: input.platform, results: [], unchecked: [], errors: 0, warnings: 0 };
  for (const spec of input.specs) {
    let matched: string[];
    try {
      matched = input.graph.has(spec.scope) ? [spec.scope] : input.expand(spec.scope);
    } catch (error) {
      if (error instanceof LocatedError) throw new LocatedError(`budget ${spec.scope}: ${error.message}`, spec.where);
      throw error;
    }
    const outside = matched.filter((label) => !input.graph.has(label));
    if (outside.length > 0) {
      report.unchecked.push({ scope: spec.scope, reason: `not part of this build (${outside.length} of ${matched.length} matched targets)` });
      continue;
    }
    const members = scopeMembers(matched, input.graph, input.facts);
    const missing = members.labels.filter((label) => !input.facts.has(label));
    if (missing.length > 0) {
      report.unchecked.push({ scope: spec.scope, reason: `${missing.length} target(s) did not build: ${missing.slice(0, 3).join(', ')}` });
      continue;
    }
    const use = measureScope(members, input.facts);
    for (const measure of BUDGET_MEASURES) {
      const limit = spec.limits[measure];
      if (limit === undefined) continue;
      const figure = use[measure];
      const status: BudgetStatus = figure.use > limit ? 'over' : figure.use === limit ? 'at' : 'under';
      if (status === 'over') report[spec.severity === 'error' ? 'errors' : 'warnings']++;
      report.results.push({ scope: spec.scope, measure, use: figure.use, limit, status, severity: spec.severity, offenders: figure.contributions.slice(0, TOP_OFFENDERS), where: spec.where });
    }
  }
  return report;
}

/** The matched targets and everything they depend on; what a bundle among them packs. */
export function scopeMembers(matched: readonly string[], graph: TargetGraph, facts: ReadonlyMap<string, AssetFacts>): ScopeMembers {
  const labels = new Set<string>();
  for (const label of matched) for (const member of graph.closure(label)) labels.add(member);
  const packed = new Set<string>();
  for (const label of labels) {
    const isBundle = facts.get(label)?.type === 'bundle' || graph.target(label).rule === 'bundle';
    if (!isBundle) continue;
    for (const member of graph.closure(label)) if (member !== label) packed.add(member);
  }
  return { labels: [...labels].sort(), packed };
}

/** One diagnostic per result over budget, for the summary and the studio page. */
export function budgetDiagnostics(report: BudgetReport): Diagnostic[] {
  return report.results
    .filter((r) => r.status === 'over')
    .map((r) => ({
      code: 'budget-exceeded',
      severity: r.severity,
      message: `${isPattern(r.scope) ? `budget ${r.scope}: ` : ''}${r.measure} ${r.use} over the ${report.platform} budget of ${r.limit}${r.offenders.length ? ` (largest: ${r.offenders.map((o) => o.label).join(', ')})` : ''}`,
      label: isPattern(r.scope) ? undefined : r.scope,
      location: r.where,
    }));
}

function isPattern(scope: string): boolean {
  return scope.endsWith('...') || scope.endsWith(':all') || scope.endsWith(':*');
}
