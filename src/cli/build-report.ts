/**
 * What `kiln build` adds after the engine returns: budgets checked and printed as a table, the
 * seed's pipeline metrics, both in the summary; the build kept for the studio page.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { budgetsForBuild } from '../budget/build-budgets.js';
import { budgetDiagnostics, type BudgetReport } from '../budget/check-budgets.js';
import { formatBudgetTable } from '../budget/budget-table.js';
import { formatDiagnostic } from '../diagnostic/format-diagnostic.js';
import type { BuildSummary } from '../engine/build-result.js';
import type { Builder } from '../engine/builder.js';
import type { TargetGraph } from '../graph/target-graph.js';
import { pipelineMetrics, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { historyDir, recordBuild } from '../studio/build-history.js';
import type { CommandIO } from './command.js';

/** The summary JSON kiln writes: the engine's, plus budgets and metrics. */
export type ReportedSummary = BuildSummary & { budgets?: BudgetReport; metrics: PipelineMetrics };

/** Where a build writes its trace when `--profile` is not given, so the studio page has a timeline. */
export function studioTracePath(cacheDir: string): string {
  mkdirSync(historyDir(cacheDir), { recursive: true });
  return join(historyDir(cacheDir), `pending-${process.pid}.trace.json`);
}

export async function finishBuildReport(options: {
  builder: Builder;
  graph: TargetGraph;
  summary: BuildSummary;
  io: CommandIO;
  checkBudgets: boolean;
  tracePath: string;
  ownTrace: boolean;
}): Promise<{ summary: ReportedSummary; overBudget: boolean }> {
  const { builder, summary, io } = options;
  const typeOf = (rule: string) => builder.workspace.rules.get(rule)?.type;
  const metrics = pipelineMetrics(summary.targets, typeOf, Number(summary.remote?.actionHits ?? 0));
  const reported: ReportedSummary = { ...summary, metrics };
  let overBudget = false;
  if (options.checkBudgets) {
    const budgets = budgetsForBuild(builder.workspace, options.graph, summary.targets, builder.platform);
    if (budgets.results.length > 0 || budgets.unchecked.length > 0) reported.budgets = budgets;
    const table = formatBudgetTable(budgets, 'over');
    if (table) (budgets.errors > 0 ? io.stderr : io.stdout)(table);
    for (const d of budgetDiagnostics(budgets)) io.stderr(`${d.severity === 'error' ? 'ERROR: ' : ''}${formatDiagnostic(d)}\n`);
    overBudget = budgets.errors > 0;
  }
  let trace: string | undefined;
  try {
    trace = readFileSync(options.tracePath, 'utf8');
  } catch {
    trace = undefined;
  }
  if (options.ownTrace) rmSync(options.tracePath, { force: true });
  await recordBuild(builder.workspace.config.cacheDir, reported, trace);
  return { summary: reported, overBudget };
}
