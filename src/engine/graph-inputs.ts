import type { TargetGraph } from '../graph/target-graph.js';
import type { Workspace } from '../workspace/workspace.js';
import type { ActionInput } from './requests/action.js';

/**
 * Request inputs of one analysed graph: action inputs by label, materialize inputs, the
 * requested labels. While a watch session's graph stays the same object, every build hands the
 * tracker the same input objects, which it compares by identity instead of JSON.
 */
export type GraphInputs = Map<string, ActionInput> & { materialize: Map<string, { label: string; pkg: string }>; requested: ReadonlySet<string> };

export function graphInputs(graph: TargetGraph): GraphInputs {
  return Object.assign(new Map<string, ActionInput>(), { materialize: new Map<string, { label: string; pkg: string }>(), requested: new Set(graph.requested) });
}

/** A target's action input, made once per graph: its key's dependencies (the closure for rules with `transitiveDeps`). */
export function actionInputOf(inputs: GraphInputs, workspace: Workspace, graph: TargetGraph): (label: string) => ActionInput {
  return (label) => {
    let input = inputs.get(label);
    if (!input) {
      const rule = workspace.rules.get(graph.target(label).rule);
      input = { label, keyDeps: rule?.transitiveDeps ? graph.closure(label).slice(0, -1) : graph.depsOf(label) };
      inputs.set(label, input);
    }
    return input;
  };
}
