/**
 * The shape of one kind of incremental work (Parcel's `requests/`, Buck2's DICE `Key`): a pure
 * function of an input that reads everything else through the `RequestApi` it is given, so the
 * tracker knows every edge. One file per kind lives in `src/engine/requests/`.
 */

/** What a request may read while it runs; every read becomes an edge of the request graph. */
export interface RequestApi {
  /** The value of another request (run or verified first); records the edge with its fingerprint. */
  get<I, T>(kind: RequestKind<I, T>, input: I): T;
  /**
   * The fields of another request's value that its kind keeps in memory (`kept`), with the same
   * edge as `get`: a value the tracker let go after saving it is not read back from the store.
   */
  getKept<I, T, K extends keyof T & string>(kind: RequestKind<I, T> & { readonly kept: readonly K[] }, input: I): Pick<T, K>;
  /**
   * Re-run this request when something appears or disappears below the workspace-relative
   * folder `dir` (glob expansion, package discovery). Content edits of known files do not count.
   */
  watchTree(dir: string): void;
  /** This request's value from its last run, if any (for incremental work inside a request). */
  previous<T>(): T | undefined;
}

export interface RequestKind<I, T> {
  /** Unique name of the kind; part of every request id. */
  readonly name: string;
  /** Stable key of one input: `${name}:${key(input)}` is the request's id. */
  key(input: I): string;
  /**
   * Compute the value. Synchronous requests run inside other requests; asynchronous ones (cooking
   * an action) run only at the top, through `RequestTracker.runAsync`.
   */
  run(input: I, api: RequestApi): T;
  /**
   * A leaf that checks itself against the outside world: true when the last value still holds
   * (a file whose size, mtime and inode did not change). Leaves without `check` and without
   * dependencies run again at every verification (a folder listing: cheap, and early cutoff
   * stops it there).
   */
  check?(input: I, previous: T): boolean;
  /**
   * The part of the value dependents see: two values with the same fingerprint are equal for
   * them, so re-evaluation stops here (early cutoff). Default: a hash of the value's JSON.
   */
  fingerprint?(value: T): string;
  /**
   * Fields of the value that stay in memory when the tracker lets a saved value go (`save`'s
   * `drop`), for readers that need only those (`RequestApi.getKept`): an action's outputs and
   * what dependents see, not its key inputs.
   */
  readonly kept?: readonly string[];
  /** Whether the value is kept in the persistent store (default true; needs a plain-data value). */
  readonly persistent?: boolean;
}

/** Identity of a request: kind plus input, and its id. */
export interface RequestRef<I = unknown, T = unknown> {
  kind: RequestKind<I, T>;
  input: I;
  id: string;
}

export function requestId<I, T>(kind: RequestKind<I, T>, input: I): string {
  return `${kind.name}:${kind.key(input)}`;
}
