/**
 * The one call the CLI makes after a build: every budget declared for the build's platform
 * (bundle attributes and the root `budgets:`), checked against what the build cooked.
 */
import type { TargetReport } from '../engine/build-result.js';
import { TargetGraph } from '../graph/target-graph.js';
import type { Workspace } from '../workspace/workspace.js';
import { factsFromReports } from './asset-facts.js';
import { bundleBudgets, workspaceBudgets } from './budget-spec.js';
import { checkBudgets, type BudgetReport } from './check-budgets.js';

export function budgetsForBuild(workspace: Workspace, graph: TargetGraph, targets: readonly TargetReport[], platform: string): BudgetReport {
  const specs = [...bundleBudgets(graph, platform), ...workspaceBudgets(workspace.config, platform)];
  return checkBudgets({
    platform,
    specs,
    graph,
    facts: factsFromReports(targets, (rule) => workspace.rules.get(rule)?.type),
    expand: (pattern) => TargetGraph.build(workspace, [pattern]).requested,
  });
}
