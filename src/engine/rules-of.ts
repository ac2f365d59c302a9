import type { TargetGraph } from '../graph/target-graph.js';
import type { AnyRule } from '../rule/rule.js';
import type { Workspace } from '../workspace/workspace.js';

/** The rule of each node that has one (what a build may cook), for ActionRunner.warm. */
export function* rulesOf(workspace: Workspace, graph: TargetGraph, nodes: readonly string[]): Iterable<AnyRule> {
  for (const label of nodes) {
    const rule = workspace.rules.get(graph.target(label).rule);
    if (rule) yield rule;
  }
}
