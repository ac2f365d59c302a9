/**
 * What budgets measure, per cooked target: its type, output bytes and the rule's stats, taken from
 * the build summary (so `kiln build` and `kiln report` measure exactly what was cooked).
 */
import type { TargetReport } from '../engine/build-result.js';

export interface AssetFacts {
  label: string;
  /** The rule's asset type (`texture`, `model`, `bundle`, …). */
  type: string;
  outputBytes: number;
  stats: Readonly<Record<string, number | string | boolean>>;
}

/** Facts for every target that built (executed or cached); failed and skipped ones have none. */
export function factsFromReports(reports: readonly TargetReport[], typeOfRule: (rule: string) => string | undefined): Map<string, AssetFacts> {
  const facts = new Map<string, AssetFacts>();
  for (const report of reports) {
    if (report.status !== 'executed' && report.status !== 'cached') continue;
    facts.set(report.label, {
      label: report.label,
      type: typeOfRule(report.rule) ?? report.rule,
      outputBytes: report.outputs.reduce((sum, o) => sum + o.size, 0),
      stats: report.stats,
    });
  }
  return facts;
}

/** A numeric stat, or 0 when the rule did not report it. */
export function statNumber(facts: AssetFacts, name: string): number {
  const value = facts.stats[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
