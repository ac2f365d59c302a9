import { budgetsForBuild } from '../budget/build-budgets.js';
import type { BuildSummary } from '../engine/build-result.js';
import type { Builder } from '../engine/builder.js';
import type { TargetGraph } from '../graph/target-graph.js';
import type { BuildExtras } from './build-report.js';

/**
 * What `kiln build` derives from a build and keeps in its record (BuildRequest.derive): each
 * rule's asset type, and the budget report when the workspace has budgets. Budgets come from
 * assets.yaml files only: none last time (`previous`) and no assets.yaml changed → none now, so
 * a partial build neither analyses the whole graph nor parses the recorded reports for them.
 */
export function buildExtrasDeriver(builder: Builder, validateOnly: boolean): (summary: BuildSummary, graph: () => TargetGraph, previous: unknown) => BuildExtras {
  const types = Object.fromEntries([...builder.workspace.rules.values()].map((rule) => [rule.name, rule.type]));
  return (summary, graph, previous) => {
    if (validateOnly || (previous !== undefined && (previous as BuildExtras).budgets === undefined)) return { types };
    const budgets = budgetsForBuild(builder.workspace, graph(), summary.targets, builder.platform);
    return budgets.results.length > 0 || budgets.unchecked.length > 0 ? { types, budgets } : { types };
  };
}
