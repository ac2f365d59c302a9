/**
 * The kept builds, parsed once each (a build's files never change after it is recorded): the
 * listing with headline figures, and per platform the newest report of every target, which is
 * what the asset and budget views show.
 */
import type { BudgetReport } from '../budget/check-budgets.js';
import type { BuildSummary, TargetReport } from '../engine/build-result.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { listBuilds, readBuildFile } from './build-history.js';

type KeptSummary = BuildSummary & { budgets?: BudgetReport; metrics?: PipelineMetrics };

export interface BuildListing {
  id: string;
  at: number;
  platform: string;
  executed: number;
  cached: number;
  failed: number;
  skipped: number;
  durationMs: number;
  metrics?: PipelineMetrics;
  overBudget: number;
}

export class BuildIndex {
  private readonly parsed = new Map<string, KeptSummary | null>();

  constructor(private readonly cacheDir: string) {}

  summary(id: string): KeptSummary | undefined {
    if (!this.parsed.has(id)) {
      const text = readBuildFile(this.cacheDir, id, 'summary');
      let value: KeptSummary | null = null;
      try {
        value = text === undefined ? null : (JSON.parse(text) as KeptSummary);
      } catch {
        value = null;
      }
      this.parsed.set(id, value);
    }
    return this.parsed.get(id) ?? undefined;
  }

  list(): BuildListing[] {
    const out: BuildListing[] = [];
    const kept = listBuilds(this.cacheDir);
    // Builds removed from disk (only the newest are kept) are dropped here too.
    const ids = new Set(kept.map((b) => b.id));
    for (const id of this.parsed.keys()) if (!ids.has(id)) this.parsed.delete(id);
    for (const { id, at } of kept) {
      const s = this.summary(id);
      if (!s) continue;
      out.push({ id, at, platform: s.platform, executed: s.executed, cached: s.cached, failed: s.failed, skipped: s.skipped, durationMs: s.durationMs, metrics: s.metrics, overBudget: (s.budgets?.errors ?? 0) + (s.budgets?.warnings ?? 0) });
    }
    return out;
  }

  /** The newest report of a target per platform (only builds where it cooked or came from the cache). */
  latestReports(label: string): Record<string, { build: string; at: number; report: TargetReport }> {
    const found: Record<string, { build: string; at: number; report: TargetReport }> = {};
    for (const { id, at } of listBuilds(this.cacheDir)) {
      const s = this.summary(id);
      if (!s || found[s.platform]) continue;
      const report = s.targets.find((t) => t.label === label && (t.status === 'executed' || t.status === 'cached'));
      if (report) found[s.platform] = { build: id, at, report };
    }
    return found;
  }

  /** Per platform, every target some kept build cooked or found cached (the page's platform filter). */
  builtLabels(): Record<string, string[]> {
    const found: Record<string, Set<string>> = {};
    for (const { id } of listBuilds(this.cacheDir)) {
      const s = this.summary(id);
      if (!s) continue;
      const set = (found[s.platform] ??= new Set());
      for (const t of s.targets) if (t.status === 'executed' || t.status === 'cached') set.add(t.label);
    }
    return Object.fromEntries(Object.entries(found).map(([platform, set]) => [platform, [...set].sort()]));
  }

  /** The newest budget report per platform. */
  latestBudgets(): Record<string, BudgetReport & { build: string }> {
    const found: Record<string, BudgetReport & { build: string }> = {};
    for (const { id } of listBuilds(this.cacheDir)) {
      const s = this.summary(id);
      if (s?.budgets && !found[s.platform]) found[s.platform] = { ...s.budgets, build: id };
    }
    return found;
  }
}
