import type { RequestApi, RequestKind } from './request-kind.js';
import type { NodeEdges } from './node-edges.js';

/** What a run needs to know of a dependency's node. */
export interface RunDependency {
  id: string;
  fingerprint: string;
  error?: unknown;
  dropped?: boolean;
  kept?: Record<string, unknown>;
}

/** The tracker, as a run reads through it: a dependency brought up to date, and its value. */
export interface RunDependencies<N extends RunDependency> {
  ensureFor(kind: RequestKind<unknown, unknown>, input: unknown): N;
  valueFor(node: N): unknown;
}

/** A node whose watched-folder list is empty: one shared array, never written to. */
export const NO_TREES: string[] = Object.freeze([]) as unknown as string[];

/** Edges past which a run looks its dependencies up in a set instead of its edge list. */
const LINEAR_DEDUP = 16;

/**
 * What one run reads through (RequestApi), recording each dependency once with the fingerprint
 * it saw. One object with methods per run, not four closures, an api object and a `Set`: an
 * action's run waits on I/O, so whatever it allocates up front outlives a scavenge and is
 * promoted (this was ~7 MB of a 10k cold build's old-space growth).
 */
export class RunApi<N extends RunDependency> implements RequestApi {
  readonly edges: NodeEdges = [];
  trees: string[] = NO_TREES;
  /** Ids already recorded, once there are more than LINEAR_DEDUP (a bundle reading 100 dependencies). */
  private seen: Set<string> | undefined;

  constructor(
    private readonly tracker: RunDependencies<N>,
    private readonly old: N | undefined,
  ) {}

  get<J, U>(kind: RequestKind<J, U>, input: J): U {
    return this.tracker.valueFor(this.read(kind as unknown as RequestKind<unknown, unknown>, input)) as U;
  }

  getKept<J, U, K extends keyof U & string>(kind: RequestKind<J, U> & { readonly kept: readonly K[] }, input: J): Pick<U, K> {
    const dep = this.read(kind as unknown as RequestKind<unknown, unknown>, input);
    return (dep.dropped && dep.kept && dep.error === undefined ? dep.kept : this.tracker.valueFor(dep)) as Pick<U, K>;
  }

  watchTree(dir: string): void {
    if (this.trees === NO_TREES) this.trees = [];
    this.trees.push(dir);
  }

  previous<U>(): U | undefined {
    const old = this.old;
    return old && old.error === undefined ? (this.tracker.valueFor(old) as U) : undefined;
  }

  /**
   * The edges for the node, copied at their length: an array grown by `push` keeps room for 17
   * elements, ~120 bytes too many for the usual node of one to three edges (40,000 nodes at 10k).
   */
  settledEdges(): NodeEdges {
    return this.edges.slice();
  }

  /** The run ended. */
  done(): void {
    this.seen = undefined;
  }

  private read(kind: RequestKind<unknown, unknown>, input: unknown): N {
    const dep = this.tracker.ensureFor(kind, input);
    const edges = this.edges;
    if (this.seen) {
      if (this.seen.has(dep.id)) return dep;
      this.seen.add(dep.id);
    } else {
      for (let i = 0; i < edges.length; i += 2) if (edges[i] === dep.id) return dep;
      if (edges.length >= 2 * LINEAR_DEDUP) {
        this.seen = new Set([dep.id]);
        for (let i = 0; i < edges.length; i += 2) this.seen.add(edges[i]!);
      }
    }
    edges.push(dep.id, dep.fingerprint);
    return dep;
  }
}
