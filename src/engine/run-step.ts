import type { TargetGraph } from '../graph/target-graph.js';
import type { CacheStack } from '../store/cache-stack.js';
import type { Workspace } from '../workspace/workspace.js';
import type { BuildRequest } from './build-request.js';
import type { BuildReporter, TargetReport } from './build-result.js';
import { resultFacts } from './action-report.js';
import { failureDiagnostics } from './failure-message.js';
import type { TalliedReports } from './last-build.js';
import { ACTION_KIND, actionKey, actionKind, toolsChanged, type ActionEnv, type ActionInput, type ActionOutcome, type ActionValue } from './requests/action.js';
import type { EngineKinds } from './requests/engine-kinds.js';
import type { ActionRunner } from './runner/action-runner.js';
import type { TraceRecorder } from './trace-recorder.js';
import type { RequestKind } from './tracker/request-kind.js';
import type { AsyncRequestKind, RequestTracker } from './tracker/request-tracker.js';
import { validateTarget } from './validate-target.js';

/**
 * A fresh build writes the request nodes that ran after every this many targets, in one
 * transaction each, instead of all at the end: the store's uncommitted pages (LMDB keeps a
 * transaction's dirty pages in memory) stay a few MB, and a crash keeps what was done.
 */
const SAVE_EVERY = 2500;

/**
 * Kinds whose values a fresh build lets go once saved: an action's value (key inputs, outputs,
 * what dependents see) is read again only by its dependents' keys and reports, so holding every
 * one to the end of a cold build is most of its memory; a dependent reading a dropped one pays
 * a point read from the store.
 */
const DROPPED_AFTER_SAVE: ReadonlySet<string> = new Set([ACTION_KIND]);

/**
 * Fresh outputs a build keeps in memory for materializing: only small ones (a store point read
 * each to get back, the largest share of reading them again), and at most this much in all.
 * A larger output is a file in the CAS and is read back from there (one file read, like a copy):
 * holding every bundle of a 10k-target build until the run ended was ~18 MB of its peak, ~180 MB
 * at 100k.
 */
const FRESH_OUTPUT_MAX_BYTES = 16 * 1024;
const FRESH_BYTES_LIMIT = 32 * 1024 * 1024;

export interface RunStepOptions {
  request: BuildRequest;
  reporter: BuildReporter;
  tracker: RequestTracker;
  kinds: EngineKinds;
  platform: string;
  cache: CacheStack;
  runner: ActionRunner;
  workspace: Workspace;
  graph: TargetGraph;
  requested: ReadonlySet<string>;
  inputOf(label: string): ActionInput;
  reports: TalliedReports;
  trace: TraceRecorder;
  /** A watch session's builder: it saves at the end only. */
  watching: boolean;
  /** After a target's action is done (a watch build writes its kiln-out then); the default passes the outcome on. */
  ready?(label: string, outcome: 'ok' | 'failed'): Promise<'ok' | 'failed'>;
}

/**
 * The run step: one action request per target (the DAG scheduler calls `run` dependencies
 * first), its report, and the saves every SAVE_EVERY targets of a fresh build. Keeps the bytes
 * just cooked for requested targets (`fresh`), so kiln-out is written without reading them back.
 */
export class RunStep {
  readonly env: ActionEnv;
  readonly action: AsyncRequestKind<ActionInput, ActionValue>;
  /**
   * Bytes just cooked for requested targets, so kiln-out is written without reading them back
   * from the store; bounded, the rest is read from the store as usual.
   */
  readonly fresh = new Map<string, Uint8Array>();
  private freshTotal = 0;
  private readonly outcomes = new Map<string, ActionOutcome>();
  private ranSinceSave = 0;
  /**
   * A build that keeps no build record (a watch session's first build) leaves a builder that
   * lives on and answers later builds from memory: it keeps its values.
   */
  private readonly dropAfterSave: ReadonlySet<string> | undefined;

  constructor(private readonly o: RunStepOptions) {
    const { request, requested, kinds } = o;
    this.dropAfterSave = request.record === false ? undefined : DROPPED_AFTER_SAVE;
    this.env = {
      workspace: o.workspace,
      platform: o.platform,
      cache: o.cache,
      runner: o.runner,
      graph: o.graph,
      tracker: o.tracker,
      file: kinds.file,
      settings: kinds.settings,
      rule: kinds.rule,
      workspaceKind: kinds.workspace,
      decl: kinds.decl as RequestKind<string, unknown>,
      inputOf: o.inputOf,
      checkDeterminism: request.checkDeterminism === true,
      signal: request.signal ?? new AbortController().signal,
      ran: (label, outcome) => {
        this.outcomes.set(label, outcome);
        if (!requested.has(label) || !outcome.bytes) return;
        for (const [key, bytes] of outcome.bytes) {
          if (bytes.byteLength > FRESH_OUTPUT_MAX_BYTES) continue;
          if (this.freshTotal + bytes.byteLength > FRESH_BYTES_LIMIT) return;
          this.fresh.set(key, bytes);
          this.freshTotal += bytes.byteLength;
        }
      },
    };
    this.action = actionKind(this.env);
  }

  /**
   * Kiln-out is written: let the fresh bytes go. The action kind (and through it this step) stays
   * registered with the tracker until the next build, which would keep them to the end.
   */
  releaseFresh(): void {
    this.fresh.clear();
    this.freshTotal = 0;
  }

  /** One target's action, brought up to date in dependency order (runDag's `run`). */
  readonly run = async (label: string, slot: number): Promise<'ok' | 'failed'> => {
    const { request, reporter, tracker, graph, trace, requested, inputOf } = this.o;
    const begin = trace.now();
    const decl = graph.target(label);
    reporter.actionStarted(label, decl.rule);
    const base: TargetReport = { label, rule: decl.rule, status: 'failed', durationMs: 0, outputs: [], diagnostics: [], stats: {} };
    let done: 'ok' | 'failed';
    try {
      if (request.validateOnly === true && requested.has(label)) return this.finish(await validateTarget(tracker, this.o.kinds.file, this.o.cache, this.env, inputOf(label), base));
      const input = inputOf(label);
      if (request.checkDeterminism || (await toolsChanged(this.env, label, tracker.peek<{ label: string }, ActionValue>(actionKey(this.o.platform), { label })))) tracker.forget(this.action, input);
      const value = await tracker.runAsync(this.action, input);
      const outcome = this.outcomes.get(label);
      this.outcomes.delete(label);
      const end = trace.now();
      const status = outcome?.status ?? 'cached';
      trace.span(label, status, slot, begin, end, outcome?.reasons ? { reasons: outcome.reasons } : undefined);
      if (!this.o.watching && ++this.ranSinceSave >= SAVE_EVERY) {
        this.ranSinceSave = 0;
        tracker.save(this.dropAfterSave);
      }
      const facts = resultFacts(value);
      const executed = status === 'executed';
      // One literal, every key in the order the summary prints them (JSON leaves out the
      // undefined ones): built by spreads, each of a 10k build's reports had a hidden class of
      // its own (10,089 maps for 10,100 reports, ~3 MB of descriptors kept to the end).
      done = this.finish({
        label,
        rule: decl.rule,
        status,
        durationMs: executed ? outcome!.durationMs : end - begin,
        outputs: facts.outputs,
        diagnostics: facts.diagnostics,
        stats: facts.stats,
        reasons: executed ? outcome?.reasons : undefined,
        ranIn: executed ? outcome?.where : undefined,
        size: facts.size,
      });
    } catch (error) {
      const { diagnostics, stack } = failureDiagnostics(error, decl);
      const end = trace.now();
      trace.span(label, 'failed', slot, begin, end);
      return this.finish({ ...base, status: 'failed', durationMs: end - begin, diagnostics, ...(stack ? { stack } : {}) });
    }
    return this.o.ready ? this.o.ready(label, done) : done;
  };

  private finish(report: TargetReport): 'ok' | 'failed' {
    this.o.reports.set(report.label, report);
    this.o.reporter.actionFinished(report);
    return report.status === 'failed' ? 'failed' : 'ok';
  }
}
