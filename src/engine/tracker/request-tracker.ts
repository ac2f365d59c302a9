import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { requestId, type RequestApi, type RequestKind } from './request-kind.js';
import { type ReadSet, walkReadSet } from './read-set.js';
import { ReverseIndex } from './reverse-index.js';
import { edgesOf, pairsOf, type NodeEdges } from './node-edges.js';
import { NO_TREES, RunApi, type RunDependencies } from './run-api.js';
import type { StoredNode, TrackerStore } from './tracker-store.js';

export type { ReadSet } from './read-set.js';
import { diagnosticError } from '../../diagnostic/diagnostic.js';

/** Requests of this kind are keyed by a workspace-relative file path (see requests/file-digest.ts). */
export const FILE_KIND = 'file';

/** A request that runs asynchronously (an action's cook); only `runAsync` executes it. */
export interface AsyncRequestKind<I, T> extends Omit<RequestKind<I, T>, 'run'> {
  readonly async: true;
  run(input: I, api: RequestApi): Promise<T>;
}

type AnyKind = RequestKind<unknown, unknown> | AsyncRequestKind<unknown, unknown>;

interface Node extends Omit<StoredNode, 'deps'> {
  id: string;
  /** Its dependencies, flat: id, the fingerprint seen, id, … (node-edges.ts). */
  edges: NodeEdges;
  /** Build epoch in which this node was last run or verified; -1: must be verified again. */
  verified: number;
  /** Folders whose structure this node depends on (in-memory only: needs file events). */
  trees: string[];
  /** Thrown by the last run; dependents see it as a fingerprint, `get` rethrows it. */
  error?: unknown;
  /** Not yet written to the store. */
  unsaved: boolean;
  /** Reported changed by a file event: run again even if its own check would pass (same stat). */
  forced?: boolean;
  /** The value was let go after it was saved: it is read back from the store when asked for. */
  dropped?: boolean;
  /** The fields of a dropped value its kind keeps (`kept`), for `getKept`. */
  kept?: Record<string, unknown>;
}

/**
 * Every node is made here, with every field in the same order (unset ones undefined), so all
 * 40,000 nodes of a 10k build share one hidden class with in-object fields instead of a chain of
 * shapes and a property array each as `error`, `forced`, `dropped` and `kept` come and go.
 */
function makeNode(id: string, kind: string, input: unknown, value: unknown, fingerprint: string, edges: NodeEdges, trees: string[], error: unknown, verified: number, unsaved: boolean): Node {
  return { id, kind, input, value, fingerprint, edges, verified, trees: trees.length === 0 ? NO_TREES : trees, error, unsaved, forced: undefined, dropped: undefined, kept: undefined };
}

export interface TrackerStats {
  /** Requests whose function ran this build. */
  ran: number;
  /** Requests found still valid without running. */
  verified: number;
  /** Nodes read from the persistent store. */
  loaded: number;
}

/**
 * The one owner of incremental state (Parcel's RequestTracker, Buck2's DICE, Skyframe). Every
 * piece of work is a request; a request reads other requests and files only through the api it
 * is given, which records the edge together with the fingerprint it saw.
 *
 * - A node is valid in a build once it ran or was verified in that build's epoch. Verifying means
 *   bringing every dependency up to date and comparing its fingerprint with the recorded one:
 *   equal everywhere → the old value holds without running (early cutoff, for every kind).
 * - `kiln build` (a fresh process, or a builder without file events) starts each build in a new
 *   epoch: everything is verified lazily, leaves by stat. Nodes come from the store on first use.
 * - `kiln watch` calls `changed(paths)`: exactly the nodes reading those paths, and their
 *   dependents, lose their validity; everything else is trusted without a single stat.
 * - Verification recurses only through synchronous requests (file → YAML → package → graph, a few
 *   levels); asynchronous ones (actions) are brought up to date by the builder in dependency
 *   order, so a 10,000-long chain of actions never deepens the stack.
 */
export class RequestTracker implements RunDependencies<Node> {
  private readonly nodes = new Map<string, Node>();
  private readonly kinds = new Map<string, AnyKind>();
  private readonly running = new Set<string>();
  /** Nodes whose last run threw. */
  private readonly failed = new Set<string>();
  private epoch = 0;
  /**
   * Reverse edges are only needed to answer `changed`; a one-shot `kiln build` never calls it,
   * so they are built on the first call (one pass over the loaded nodes) and kept from then on.
   */
  private reverse: ReverseIndex | undefined;
  /** Ids that lost their validity since `takeInvalidated` was last called (watch mode's worklist). */
  private invalidatedIds = new Set<string>();
  /** Ids of nodes not yet written to the store: a save costs what ran, not what is in memory. */
  private readonly unsavedIds = new Set<string>();
  stats: TrackerStats = { ran: 0, verified: 0, loaded: 0 };
  /**
   * The store held no node when this tracker was made (a cold build): every node it could hold
   * was written from memory since, so a request not in memory is not looked up (10k targets:
   * ~40,000 point lookups that would all miss). Another process's concurrent writes go unseen,
   * as if this build had started before them.
   */
  private readonly storeWasEmpty: boolean;

  constructor(
    private readonly store: TrackerStore,
    /** Absolute workspace root: `changed` paths are relative to it. */
    readonly root: string,
  ) {
    this.storeWasEmpty = store.empty();
  }

  /**
   * Make kinds known before their stored nodes are met as dependencies (a fresh process verifies
   * a node only when it knows the kind of each dependency; an unknown kind means "run again").
   */
  register(...kinds: (RequestKind<never, unknown> | AsyncRequestKind<never, unknown>)[]): void {
    for (const kind of kinds) this.kinds.set(kind.name, kind as unknown as AnyKind);
  }

  /** Start a build that cannot rely on file events: every node is verified again (lazily). */
  newEpoch(): void {
    this.epoch++;
    this.invalidatedIds.clear();
    this.stats = { ran: 0, verified: 0, loaded: 0 };
  }

  /**
   * Start a build in watch mode: what `changed` did not touch stays valid, except failures, which
   * are tried again (a failed cook records no discovered inputs, so any edit may be its fix).
   */
  beginWatchBuild(): void {
    this.stats = { ran: 0, verified: 0, loaded: 0 };
    for (const id of this.failed) this.invalidate(id);
    this.failed.clear();
  }

  /**
   * The ids of in-memory nodes that lost their validity since the last call (by `changed`, a
   * failure retried, a `record` that disagreed): what a watch build must look at, and nothing else.
   */
  takeInvalidated(): ReadonlySet<string> {
    const ids = this.invalidatedIds;
    this.invalidatedIds = new Set();
    return ids;
  }

  /** The value of a synchronous request, run or verified as needed. */
  get<I, T>(kind: RequestKind<I, T>, input: I): T {
    return this.valueOf(this.ensure(kind as AnyKind, input)) as T;
  }

  /** The value of any request; asynchronous ones are executed here when not valid. */
  async runAsync<I, T>(kind: AsyncRequestKind<I, T> | RequestKind<I, T>, input: I): Promise<T> {
    const id = requestId(kind as RequestKind<I, T>, input);
    this.kinds.set(kind.name, kind as AnyKind);
    const node = this.node(id);
    if (node && this.valid(node, input)) return this.valueOf(this.settle(node)) as T;
    return this.valueOf(await this.execute(kind as AnyKind, id, input, node)) as T;
  }

  /** The last value of a request without verifying it (reports, `kiln query`, explanations). */
  peek<I, T>(kind: { name: string; key(input: I): string }, input: I): T | undefined {
    const node = this.node(`${kind.name}:${kind.key(input)}`);
    return node && node.error === undefined ? (this.valueOf(node) as T) : undefined;
  }

  /**
   * The value of a request already valid in this build (ran or verified, same input), without
   * scheduling anything; undefined when it would have to be verified or run. Watch mode uses it
   * to skip everything a save did not touch.
   */
  currentValue<I, T>(kind: { name: string; key(input: I): string }, input: I): T | undefined {
    const node = this.nodes.get(`${kind.name}:${kind.key(input)}`);
    if (!node || node.verified !== this.epoch || node.forced || node.error !== undefined) return undefined;
    if (!this.sameInput(node, input)) return undefined;
    return this.valueOf(node) as T;
  }

  /**
   * Workspace-relative paths that changed (created, edited, deleted; a folder stands for
   * everything below it; `''` for "the watcher lost track"). Invalidates the nodes that read
   * them and, transitively, their dependents — nothing else. Returns how many nodes that was.
   */
  changed(paths: Iterable<string>): number {
    if (!this.reverse) {
      this.reverse = new ReverseIndex(FILE_KIND);
      for (const node of this.nodes.values()) this.reverse.link(node, undefined);
    }
    const reverse = this.reverse;
    let touched = 0;
    for (const path of paths) {
      if (path === '') {
        this.epoch++;
        touched++;
        continue;
      }
      const fileId = `${FILE_KIND}:${path}`;
      const known = this.nodes.get(fileId);
      // Known to exist right up to this event: its last verified value says so (a stale value
      // may describe a file deleted since).
      const existed = known !== undefined && known.verified !== -1 && !known.error && (known.value as { digest?: string } | undefined)?.digest !== 'absent';
      if (known) known.forced = true;
      touched += this.invalidate(fileId);
      const stat = statSync(join(this.root, path), { throwIfNoEntry: false });
      const isFile = stat?.isFile() === true;
      // An edit of a file known to exist changes no folder structure; anything else (a new file,
      // a deletion, a folder event) may add or remove glob members and packages.
      if (isFile && existed) continue;
      for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
        const key = dir === '.' ? '' : dir;
        for (const id of reverse.watchersOf(key)) touched += this.invalidate(id);
        if (key === '') break;
      }
      if (!isFile) {
        for (const id of reverse.filesAtOrBelow(path)) {
          const node = this.nodes.get(id);
          if (node) node.forced = true;
          touched += this.invalidate(id);
        }
      }
    }
    return touched;
  }

  /** Make one request run again in this build even if it would verify (e.g. --check-determinism). */
  forget<I>(kind: { name: string; key(input: I): string }, input: I): void {
    const node = this.nodes.get(`${kind.name}:${kind.key(input)}`);
    if (node) node.forced = true;
    this.invalidate(`${kind.name}:${kind.key(input)}`);
  }

  /**
   * Record a leaf value observed outside a run (a digest a cook computed from a stable read, a
   * racy file hashed again once old enough). Same fingerprint: the value (its stat) is refreshed
   * and dependents stay valid; a different one: the node must be verified again.
   */
  record<I, T>(kind: RequestKind<I, T>, input: I, value: T): void {
    const id = requestId(kind, input);
    this.kinds.set(kind.name, kind as AnyKind);
    const old = this.node(id);
    const fingerprint = kind.fingerprint ? kind.fingerprint(value) : hashJson(value);
    if (old && (old.error !== undefined || old.fingerprint !== fingerprint)) {
      this.invalidate(id);
      return;
    }
    const node = makeNode(id, kind.name, input, value, fingerprint, [], NO_TREES, undefined, old?.verified ?? this.epoch, true);
    this.reverse?.link(node, old);
    this.nodes.set(id, node);
    this.unsavedIds.add(id);
  }

  /**
   * The files and folders below the given requests, walking their recorded dependencies in
   * memory; ids for which `stop` is true are not descended into (another target's action).
   * Undefined when a node on the way is not in memory or failed: no complete read set is known.
   */
  readSet(ids: readonly string[], stop: (id: string) => boolean, into: ReadSet = { files: new Map(), trees: new Set() }): ReadSet | undefined {
    return walkReadSet(this.nodes, this.epoch, FILE_KIND, ids, stop, into);
  }

  /**
   * Write every node that ran since the last save, in one transaction. Nodes of the kinds `drop`
   * names then let go of their values (a one-shot build whose settled actions' values would
   * otherwise all stay in memory to the end), keeping only the fields their kind names in
   * `kept`; whoever asks for a whole one later reads it back.
   */
  save(drop?: ReadonlySet<string>): void {
    const batch = new Map<string, StoredNode>();
    const saved: Node[] = [];
    for (const id of this.unsavedIds) {
      const node = this.nodes.get(id);
      if (!node?.unsaved) continue;
      node.unsaved = false;
      const kind = this.kinds.get(node.kind);
      if (node.error !== undefined || kind?.persistent === false) continue;
      batch.set(node.id, { kind: node.kind, input: node.input, value: node.value, fingerprint: node.fingerprint, deps: pairsOf(node.edges) });
      if (drop?.has(node.kind)) saved.push(node);
    }
    this.unsavedIds.clear();
    this.store.putMany(batch);
    // Only once the transaction is written: a failed write keeps every value.
    for (const node of saved) {
      if (this.nodes.get(node.id) !== node) continue;
      const kept = this.kinds.get(node.kind)?.kept;
      if (kept && node.value !== null && typeof node.value === 'object') {
        const value = node.value as Record<string, unknown>;
        node.kept = {};
        for (const field of kept) node.kept[field] = value[field];
      }
      node.value = undefined;
      node.dropped = true;
    }
  }

  /** A node's value (rethrowing its error); a dropped one is read back from the store. */
  private valueOf(node: Node): unknown {
    if (node.error !== undefined) throw node.error;
    if (!node.dropped) return node.value;
    const stored = this.store.get(node.id);
    // Another build may have rewritten the node since: only a value with the fingerprint this
    // build's dependents saw is the same value for them.
    if (!stored || stored.fingerprint !== node.fingerprint) {
      throw diagnosticError('state-changed', `the stored result of ${node.id} was replaced by another build while this one ran; build again`);
    }
    return stored.value;
  }

  close(): void {
    this.store.close();
  }

  private ensure(kind: AnyKind, input: unknown): Node {
    const id = requestId(kind as RequestKind<unknown, unknown>, input);
    this.kinds.set(kind.name, kind);
    const node = this.node(id);
    if (node && this.valid(node, input)) return this.settle(node);
    const result = this.execute(kind, id, input, node);
    if (result instanceof Promise) throw new Error(`request ${id} is asynchronous: run it with runAsync before reading it`);
    return result;
  }

  /**
   * Valid in this build: verified already, or its input is the same and its dependencies and own
   * check still hold. (The key names a request; the input may carry more, such as an action's
   * resolved dependency labels, and a different input means running again.)
   */
  private valid(node: Node, input: unknown): boolean {
    if (node.verified === this.epoch && !node.forced) return true;
    if (!this.sameInput(node, input)) return false;
    return this.upToDate(node);
  }

  /**
   * Whether a node ran with this input: the same object (a watch session's builder reuses them)
   * or equal JSON — then the node keeps the caller's object, so the next build compares by identity.
   */
  private sameInput(node: Node, input: unknown): boolean {
    if (node.input === input || typeof input !== 'object' || input === null) return true;
    if (JSON.stringify(node.input) !== JSON.stringify(input)) return false;
    node.input = input;
    return true;
  }

  private settle(node: Node): Node {
    if (node.verified !== this.epoch) {
      node.verified = this.epoch;
      this.stats.verified++;
    }
    return node;
  }

  /** Whether a node's recorded value still holds, bringing synchronous dependencies up to date. */
  private upToDate(node: Node): boolean {
    if (node.error !== undefined || node.forced) return false;
    const kind = this.kinds.get(node.kind);
    if (!kind) return false;
    if (node.trees.length > 0) return false;
    const edges = node.edges;
    if (edges.length === 0 && !kind.check) return false;
    for (let i = 0; i < edges.length; i += 2) {
      const depId = edges[i]!;
      const seen = edges[i + 1]!;
      let dep = this.node(depId);
      if (!dep) return false;
      if (dep.verified !== this.epoch) {
        const depKind = this.kinds.get(dep.kind);
        // Asynchronous dependencies are the builder's to bring up to date, in dependency order.
        if (!depKind || this.isAsync(depKind)) return false;
        dep = this.ensure(depKind, dep.input);
      }
      if (dep.fingerprint !== seen) return false;
    }
    return kind.check ? kind.check(node.input, this.valueOf(node)) : true;
  }

  private isAsync(kind: AnyKind): boolean {
    return (kind as { async?: boolean }).async === true;
  }

  private execute(kind: AnyKind, id: string, input: unknown, old: Node | undefined): Node | Promise<Node> {
    if (this.running.has(id)) throw new Error(`request cycle through ${id}`);
    const api = new RunApi(this, old);
    this.running.add(id);
    this.stats.ran++;
    let result: unknown;
    try {
      result = kind.run(input, api);
    } catch (error) {
      return this.finish(kind, id, input, old, api, undefined, error);
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => this.finish(kind, id, input, old, api, value, undefined),
        (error: unknown) => this.finish(kind, id, input, old, api, undefined, error),
      );
    }
    return this.finish(kind, id, input, old, api, result, undefined);
  }

  /** A run ended: its node, with the edges its api recorded. */
  private finish(kind: AnyKind, id: string, input: unknown, old: Node | undefined, api: RunApi<Node>, value: unknown, error: unknown): Node {
    this.running.delete(id);
    const fingerprint = error !== undefined ? `error:${errorText(error)}` : kind.fingerprint ? kind.fingerprint(value) : hashJson(value);
    const node = makeNode(id, kind.name, input, value, fingerprint, api.settledEdges(), api.trees, error, this.epoch, true);
    api.done();
    this.reverse?.link(node, old);
    this.nodes.set(id, node);
    this.unsavedIds.add(id);
    if (error !== undefined) this.failed.add(id);
    return node;
  }

  /** @internal RunApi's way in: a dependency brought up to date. */
  ensureFor(kind: AnyKind, input: unknown): Node {
    return this.ensure(kind, input);
  }

  /** @internal RunApi's way in: a node's value. */
  valueFor(node: Node): unknown {
    return this.valueOf(node);
  }

  /** The node in memory, or loaded from the store (unverified) on first use. */
  private node(id: string): Node | undefined {
    let node = this.nodes.get(id);
    if (node) return node;
    // A kind that is never saved is never in the store; asking would also hand LMDB ids longer
    // than its key limit (a graph request naming thousands of dirty targets as patterns).
    if (this.storeWasEmpty || this.kinds.get(id.slice(0, id.indexOf(':')))?.persistent === false) return undefined;
    const stored = this.store.get(id);
    if (!stored) return undefined;
    this.stats.loaded++;
    node = makeNode(id, stored.kind, stored.input, stored.value, stored.fingerprint, edgesOf(stored.deps), NO_TREES, undefined, -1, false);
    this.reverse?.link(node, undefined);
    this.nodes.set(id, node);
    return node;
  }

  /** Mark a node and everything that depends on it, transitively, as needing verification; returns how many. */
  private invalidate(first: string): number {
    let count = 0;
    const stack = [first];
    while (stack.length > 0) {
      const id = stack.pop()!;
      const node = this.nodes.get(id);
      if (node) {
        if (node.verified === -1) continue;
        node.verified = -1;
        this.invalidatedIds.add(id);
        count++;
      }
      for (const parent of this.reverse?.dependentsOf(id) ?? []) stack.push(parent);
    }
    return count;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function hashJson(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value) ?? 'undefined').digest('base64url');
}
