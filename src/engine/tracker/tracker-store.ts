/**
 * Where request-graph nodes live between processes. The tracker reads a node the first time a
 * build needs it (a point lookup, no start-up load) and writes the nodes a build re-ran in one
 * transaction at its end — never a whole-file rewrite.
 */

/** A request's last result as stored: enough to verify it again and to re-run it. */
export interface StoredNode {
  kind: string;
  input: unknown;
  value: unknown;
  fingerprint: string;
  /** [dependency id, the dependency's fingerprint when this node last ran]. */
  deps: [string, string][];
}

export interface TrackerStore {
  get(id: string): StoredNode | undefined;
  /** Whether no node is stored (read once, when a tracker is made over the store). */
  empty(): boolean;
  /** Write all nodes atomically (all or none survive a crash). */
  putMany(nodes: ReadonlyMap<string, StoredNode>): void;
  /** Every stored node whose id starts with `prefix` (GC, `kiln query`); not for hot paths. */
  scan(prefix: string): Iterable<[string, StoredNode]>;
  close(): void;
}

/** The in-memory twin, for tests and for builds that keep no state. */
export class MemoryTrackerStore implements TrackerStore {
  readonly nodes = new Map<string, StoredNode>();
  /** How many transactions were written (tests assert that a no-op build writes none). */
  writes = 0;

  empty(): boolean {
    return this.nodes.size === 0;
  }

  get(id: string): StoredNode | undefined {
    const node = this.nodes.get(id);
    return node && structuredClone(node);
  }

  putMany(nodes: ReadonlyMap<string, StoredNode>): void {
    this.writes++;
    for (const [id, node] of nodes) this.nodes.set(id, structuredClone(node));
  }

  *scan(prefix: string): Iterable<[string, StoredNode]> {
    for (const [id, node] of this.nodes) if (id.startsWith(prefix)) yield [id, structuredClone(node)];
  }

  close(): void {}
}
