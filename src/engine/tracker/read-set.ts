/** What a set of requests relied on, down to the leaves (the build record's read set). */
export interface ReadSet {
  /** Workspace-relative path → the file request's value (its digest and stat). */
  files: Map<string, unknown>;
  /** Folders whose structure a request depends on. */
  trees: Set<string>;
}

/** The part of a tracker node the walk reads. */
export interface ReadSetNode {
  kind: string;
  input: unknown;
  value: unknown;
  /** Flat: id, fingerprint, id, … (node-edges.ts). */
  edges: readonly string[];
  trees: string[];
  error?: unknown;
  verified: number;
}

/**
 * The files and folders below `ids`, walking recorded dependencies in memory (an explicit stack:
 * chains of actions are deep); ids for which `stop` is true are not descended into. Undefined
 * when a node on the way is not in memory, failed or is not valid in `epoch`.
 */
export function walkReadSet(
  nodes: ReadonlyMap<string, ReadSetNode>,
  epoch: number,
  fileKind: string,
  ids: readonly string[],
  stop: (id: string) => boolean,
  into: ReadSet,
): ReadSet | undefined {
  const seen = new Set<string>();
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = nodes.get(id);
    if (!node || node.error !== undefined || node.verified !== epoch) return undefined;
    if (node.kind === fileKind) into.files.set(node.input as string, node.value);
    for (const dir of node.trees) into.trees.add(dir);
    const edges = node.edges;
    for (let i = 0; i < edges.length; i += 2) if (!stop(edges[i]!)) stack.push(edges[i]!);
  }
  return into;
}
