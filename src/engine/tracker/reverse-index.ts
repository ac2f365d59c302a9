import { posix } from 'node:path';

/** The part of a tracker node the index reads. */
export interface IndexedNode {
  id: string;
  kind: string;
  input: unknown;
  /** Flat: id, fingerprint, id, … (node-edges.ts). */
  edges: readonly string[];
  trees: string[];
}

/**
 * The tracker's reverse edges, which only `changed` needs (watch mode): who depends on a request,
 * who watches a folder's structure, and the file requests by parent folder, so a folder event
 * finds what is under it without a pass over every node. A one-shot `kiln build` never builds it.
 */
export class ReverseIndex {
  private readonly dependents = new Map<string, Set<string>>();
  private readonly treeWatchers = new Map<string, Set<string>>();
  private readonly filesByDir = new Map<string, Set<string>>();

  constructor(private readonly fileKind: string) {}

  /** Keeps the edges in step with `node`'s new dependencies (`old`: what it depended on before). */
  link(node: IndexedNode, old: IndexedNode | undefined): void {
    if (node.kind === this.fileKind) add(this.filesByDir, parentOf(node.input as string), node.id);
    if (old) {
      for (let i = 0; i < old.edges.length; i += 2) this.dependents.get(old.edges[i]!)?.delete(old.id);
      for (const dir of old.trees) this.treeWatchers.get(dir)?.delete(old.id);
    }
    for (let i = 0; i < node.edges.length; i += 2) add(this.dependents, node.edges[i]!, node.id);
    for (const dir of node.trees) add(this.treeWatchers, dir, node.id);
  }

  dependentsOf(id: string): Iterable<string> {
    return this.dependents.get(id) ?? [];
  }

  /** Requests that depend on the structure of `dir` (`''`: the workspace root). */
  watchersOf(dir: string): Iterable<string> {
    return this.treeWatchers.get(dir) ?? [];
  }

  /** File requests in folder `path` or below it. */
  *filesAtOrBelow(path: string): Iterable<string> {
    const below = `${path}/`;
    for (const [dir, ids] of this.filesByDir) if (dir === path || dir.startsWith(below)) yield* ids;
  }
}

function parentOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
}

function add(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}
