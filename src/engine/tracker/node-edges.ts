/**
 * A tracker node's dependencies in memory: one flat array `[id, fingerprint, id, fingerprint, …]`
 * instead of a two-element array per edge. A 10k cold build holds ~100,000 edges to its end; the
 * pair arrays were ~64 bytes each (an array object and its elements), about half of the nodes'
 * edge memory. The store keeps the pairs (`StoredNode.deps`): nodes convert when loaded and saved.
 */
export type NodeEdges = string[];

/** The edges of stored pairs. */
export function edgesOf(pairs: readonly (readonly [string, string])[]): NodeEdges {
  const edges: NodeEdges = new Array(pairs.length * 2);
  for (let i = 0; i < pairs.length; i++) {
    edges[2 * i] = pairs[i]![0];
    edges[2 * i + 1] = pairs[i]![1];
  }
  return edges;
}

/** The pairs a store keeps. */
export function pairsOf(edges: NodeEdges): [string, string][] {
  const pairs: [string, string][] = new Array(edges.length / 2);
  for (let i = 0; i < pairs.length; i++) pairs[i] = [edges[2 * i]!, edges[2 * i + 1]!];
  return pairs;
}
