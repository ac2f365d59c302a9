import type { TargetGraph } from '../graph/target-graph.js';
import type { BuildResult } from './build-request.js';
import type { BuildSummary } from './build-result.js';

/** The result with its graph kept off JSON and object spreads (a recorded build analyses it only when read). */
export function withGraph(summary: BuildSummary & { graph: TargetGraph; extra?: unknown }): BuildResult {
  return Object.defineProperty(summary, 'graph', { value: summary.graph, enumerable: false, writable: false });
}
