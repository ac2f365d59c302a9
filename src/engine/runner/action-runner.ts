import type { BlobStore } from '../../store/blob-store.js';
import type { FreshSources } from '../fresh-sources.js';
import type { AnyRule } from '../../rule/rule.js';
import type { ActionFailure } from './action-failure.js';
import type { ActionUnit } from './action-unit.js';
import { LocalActionIO } from './local-action-io.js';
import { type ActionRun, type RunMode, runAction } from './run-action.js';
import { poolWorkerUrl, workerLoadableUrl } from './worker-module.js';
import { formatMs, PoolTaskError } from './pool-lane.js';
import { WorkerPool } from './worker-pool.js';
import { WorkspaceFiles } from './workspace-files.js';

export interface RunnerOptions {
  root: string;
  /** Worker threads for rules that can load in a worker; 0 runs every cook in-process. */
  workers: number;
  /** Per-action time limit in milliseconds; 0 means none. */
  timeoutMs: number;
  /** Source bytes just read and hashed by the engine, which in-process cooks take instead of reading again. */
  freshSources?: FreshSources;
  /** Folders besides the workspace that actions may read (resolved tool or package folders). */
  allowedRoots?: string[];
  /** Heap limit of each worker thread in MB (a runaway rule kills its worker, not the build). */
  workerHeapMb?: number;
  /** Cooks on a remote cluster (`--remote-executor`); rules a worker could import go there. */
  remote?: RemoteCook;
}

/** A remote executor (src/engine/remote/): a run, or `undefined` to cook locally instead. */
export interface RemoteCook {
  run(unit: ActionUnit, files: WorkspaceFiles, blobs: BlobStore): Promise<ActionRun | undefined>;
  close(): void;
}

/** Where a rule's actions run, and why. */
export type Placement = { where: 'worker'; moduleUrl: string } | { where: 'in-process'; reason: string };

export type RunnerResult = ActionRun & { where: Placement['where'] | 'remote' };

/**
 * Executes units: on the worker pool when the rule says where it can be imported from (its
 * `module`) and that module exists as JavaScript, in-process otherwise (test rules defined
 * inline, rules built with injected codecs, `workers: 0`). The decision is made from the rule
 * before anything runs (`placement`), never by trying the worker and falling back.
 */
export class ActionRunner {
  readonly files: WorkspaceFiles;
  private pool: WorkerPool | undefined;
  private readonly placements = new Map<AnyRule, Placement>();

  constructor(private readonly options: RunnerOptions) {
    this.files = new WorkspaceFiles(options.root, options.allowedRoots, options.freshSources);
  }

  placement(rule: AnyRule): Placement {
    let placement = this.placements.get(rule);
    if (!placement) {
      placement = decide(rule, this.options.workers);
      this.placements.set(rule, placement);
    }
    return placement;
  }

  /** Run a unit; a failing, crashing or hanging rule comes back as `failure`, never as a throw. */
  async run(unit: ActionUnit, rule: AnyRule, blobs: BlobStore, mode: RunMode, signal?: AbortSignal): Promise<RunnerResult> {
    const placement = this.placement(rule);
    // Only rules a separate process can import can cook elsewhere; outputs go to the store here.
    if (this.options.remote && mode === 'cook' && placement.where === 'worker') {
      const run = await this.options.remote.run(unit, this.files, blobs);
      if (run) {
        if (!run.failure) for (const bytes of run.outputBytes) await blobs.put(bytes);
        return { ...run, where: 'remote' };
      }
    }
    if (placement.where === 'worker') {
      try {
        return { ...(await this.workerPool().run(unit, placement.moduleUrl, mode, blobs, this.options.timeoutMs, signal)), where: 'worker' };
      } catch (error) {
        if (!(error instanceof PoolTaskError)) throw error;
        return { ...emptyRun(), failure: poolFailure(unit, error.kind, error.message), where: 'worker' };
      }
    }
    return { ...(await this.runHere(unit, rule, blobs, mode, signal)), where: 'in-process' };
  }

  /**
   * A build is about to run `cooks` (the rule of each target it may cook): start the worker
   * threads those need now, one per cook at most, each importing the rules' modules, so thread
   * start-up overlaps the rest of the build's preparation. A build with nothing for the pool
   * starts nothing; remote cooks are not started here (they may not need local threads).
   */
  warm(cooks: Iterable<AnyRule>): void {
    if (this.options.remote) return;
    let count = 0;
    const modules = new Set<string>();
    for (const rule of cooks) {
      const placement = this.placement(rule);
      if (placement.where !== 'worker') continue;
      count++;
      modules.add(`${placement.moduleUrl}#${rule.module!.factory}`);
    }
    if (count > 0) this.workerPool().start(count, [...modules]);
  }

  /** Worker threads started so far (0 until something needs the pool). */
  get poolThreads(): number {
    return this.pool?.started ?? 0;
  }

  private workerPool(): WorkerPool {
    this.pool ??= new WorkerPool({ threads: this.options.workers, root: this.options.root, allowedRoots: this.options.allowedRoots ?? [], workerUrl: poolWorkerUrl()!, maxHeapMb: this.options.workerHeapMb });
    return this.pool;
  }

  /**
   * In-process cooks share the build's thread: a timeout reports the action as failed and aborts
   * its signal, but a rule that never yields cannot be stopped (only a worker can be terminated).
   */
  private async runHere(unit: ActionUnit, rule: AnyRule, blobs: BlobStore, mode: RunMode, signal?: AbortSignal): Promise<ActionRun> {
    const limit = this.options.timeoutMs;
    // Without a time limit nothing but the build aborts a cook: it gets the build's signal. An
    // AbortController and a listener per cook were ~8 MB of a 10k-target cold build's heap
    // growth (Node's AbortSignal is an EventTarget; cooks that wait on I/O outlive a scavenge).
    if (!(limit > 0 && Number.isFinite(limit))) return runAction(unit, rule, new LocalActionIO(this.files, blobs), mode, signal ?? NEVER_ABORTED);
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const cook = runAction(unit, rule, new LocalActionIO(this.files, blobs), mode, abort.signal);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limit)));
      const first = await Promise.race([cook, timeout]);
      if (first !== 'timeout') return first;
      abort.abort();
      return { ...emptyRun(), failure: poolFailure(unit, 'rule-timeout', `rule "${unit.rule.name}" did not finish within ${formatMs(limit)}; it runs in the build's own thread, so it could only be abandoned, not stopped`) };
    } finally {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.options.remote?.close();
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

/** The signal of a cook nothing can abort (a run without a build signal and without a time limit). */
const NEVER_ABORTED = new AbortController().signal;

function decide(rule: AnyRule, workers: number): Placement {
  if (workers <= 0) return { where: 'in-process', reason: 'the worker pool is off (workers: 0)' };
  if (!rule.module) return { where: 'in-process', reason: `rule "${rule.name}" declares no module a worker could import` };
  const moduleUrl = workerLoadableUrl(rule.module.url);
  if (!moduleUrl) return { where: 'in-process', reason: `${rule.module.url} has no JavaScript a worker can import` };
  if (!poolWorkerUrl()) return { where: 'in-process', reason: 'the pool worker is not compiled' };
  return { where: 'worker', moduleUrl };
}

/** The runner, not the rule, ended the action: the diagnostic says how, about the unit's target. */
function poolFailure(unit: ActionUnit, code: 'worker-crashed' | 'rule-timeout', message: string): ActionFailure {
  return { diagnostics: [{ code, severity: 'error', message, label: unit.label, ...(unit.srcs[0] ? { location: { file: unit.srcs[0].path } } : {}) }] };
}

function emptyRun(): ActionRun {
  return { outputs: [], outputBytes: [], discovered: {}, stableReads: [], diagnostics: [], stats: {}, durationMs: 0 };
}
