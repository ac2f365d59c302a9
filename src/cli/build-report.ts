/**
 * What `kiln build` adds after the engine returns: budgets checked and printed as a table, the
 * seed's pipeline metrics, both in the summary; the build kept for the studio page (only builds
 * that executed or failed something: a no-op would only push real builds out of the history).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BudgetReport } from '../budget/check-budgets.js';
import { formatBudgetTable } from '../budget/budget-table.js';
import type { BuildSummary, TargetReport } from '../engine/build-result.js';
import { pipelineMetrics, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { CommandIO } from './command.js';

/** The summary JSON kiln writes: the engine's, plus budgets and metrics. */
export type ReportedSummary = BuildSummary & { budgets?: BudgetReport; metrics: PipelineMetrics };

/**
 * What the CLI derives from a build's graph and keeps in the build record (BuildRequest.derive):
 * each rule's asset type (for the metrics) and the budget report when the workspace has budgets.
 */
export interface BuildExtras {
  types: Record<string, string>;
  budgets?: BudgetReport;
}

/** Where a build writes its trace when `--profile` is not given, so the studio page has a timeline. */
export async function studioTracePath(cacheDir: string): Promise<string> {
  const { historyDir } = await import('../studio/build-history.js');
  mkdirSync(historyDir(cacheDir), { recursive: true });
  return join(historyDir(cacheDir), `pending-${process.pid}.trace.json`);
}

/** The summary with metrics and budgets; prints the budget table and budget diagnostics. Returns whether a budget is exceeded. */
export async function reportBuild(summary: BuildSummary, extras: BuildExtras, io: CommandIO): Promise<{ summary: ReportedSummary; overBudget: boolean }> {
  const metrics = pipelineMetrics(summary.targets, (rule) => extras.types[rule], Number(summary.remote?.actionHits ?? 0));
  return reportWithMetrics(summary, metrics, extras, io);
}

/**
 * The same for a build answered (in part) by its record, whose unchanged reports stay unparsed
 * (engine/rendered-summary.ts): those are local cache hits, so the metrics are those of the
 * reports that were spoken for (`spoken`) plus `count - spoken.length` cached ones. The summary
 * keeps its lazy arrays (its property descriptors are copied, not its values).
 */
export async function reportRecorded(summary: BuildSummary, spoken: readonly TargetReport[], count: number, extras: BuildExtras, io: CommandIO): Promise<{ summary: ReportedSummary; overBudget: boolean }> {
  const cached = Array<Pick<TargetReport, 'status' | 'rule' | 'durationMs' | 'outputs'>>(Math.max(0, count - spoken.length)).fill({ status: 'cached', rule: '', durationMs: 0, outputs: [] });
  return reportWithMetrics(summary, pipelineMetrics([...spoken, ...(cached as TargetReport[])], (rule) => extras.types[rule]), extras, io);
}

async function reportWithMetrics(summary: BuildSummary, metrics: PipelineMetrics, extras: BuildExtras, io: CommandIO): Promise<{ summary: ReportedSummary; overBudget: boolean }> {
  const reported = Object.defineProperties({}, Object.getOwnPropertyDescriptors(summary)) as ReportedSummary;
  reported.metrics = metrics;
  const budgets = extras.budgets;
  if (!budgets) return { summary: reported, overBudget: false };
  reported.budgets = budgets;
  const table = formatBudgetTable(budgets, 'over');
  if (table) (budgets.errors > 0 ? io.stderr : io.stdout)(table);
  const [{ budgetDiagnostics }, { formatDiagnostic }] = await Promise.all([import('../budget/check-budgets.js'), import('../diagnostic/format-diagnostic.js')]);
  for (const d of budgetDiagnostics(budgets)) io.stderr(`${d.severity === 'error' ? 'ERROR: ' : ''}${formatDiagnostic(d)}\n`);
  return { summary: reported, overBudget: budgets.errors > 0 };
}

/** Keep the build for the studio page, with its trace (removed from its pending place when kiln chose it). */
export async function keepForStudio(cacheDir: string, summary: ReportedSummary, tracePath: string, ownTrace: boolean, rendered?: () => readonly Uint8Array[]): Promise<void> {
  let trace: string | undefined;
  try {
    trace = readFileSync(tracePath, 'utf8');
  } catch {
    trace = undefined;
  }
  if (ownTrace) rmSync(tracePath, { force: true });
  if (summary.executed === 0 && summary.failed === 0 && summary.skipped === 0) return;
  const { recordBuild } = await import('../studio/build-history.js');
  // A summary whose reports are still the record's bytes is kept as its rendered JSON, in pieces (never parsed).
  await recordBuild(cacheDir, rendered ? rendered() : summary, trace);
}
