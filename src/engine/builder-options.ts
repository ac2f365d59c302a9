import type { CacheStack } from '../store/cache-stack.js';
import type { Workspace } from '../workspace/workspace.js';
import type { RemoteCook } from './runner/action-runner.js';
import type { TrackerStore } from './tracker/tracker-store.js';

export interface BuilderOptions {
  workspace: Workspace;
  cache: CacheStack;
  platform?: string;
  jobs?: number;
  /** Where the request graph persists (default: LMDB under `<cache>/state`). */
  store?: TrackerStore;
  /** Worker threads for JS/wasm rules (default: `jobs`); 0 cooks everything in-process. */
  workers?: number;
  /** Per-action time limit in milliseconds (default: none). */
  actionTimeoutMs?: number;
  /** Heap limit of each worker thread in MB (default: Node's). */
  workerHeapMb?: number;
  /** Cook on a remote cluster (`--remote-executor`), cache lookups still first. */
  remote?: RemoteCook;
  /**
   * What identifies the rules' code in the build record's key. The CLI passes the identity of
   * its installation (computed without loading rules). Default: every rule's name@version, which
   * cannot vouch for tool identities a rule computes, so targets of rules with tools are then
   * never recorded.
   */
  toolchain?: string;
}
