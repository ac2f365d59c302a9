import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { TargetGraph } from '../graph/target-graph.js';
import type { OutputRecord } from '../rule/output.js';
import type { CacheStack } from '../store/cache-stack.js';
import type { Workspace } from '../workspace/workspace.js';
import type { AnyRule } from '../rule/rule.js';
import { type BuildSummary, type TargetReport, silentReporter } from './build-result.js';
import { cookInto } from './cook-action.js';
import { explainChange } from './explain.js';
import { failureDiagnostics } from './failure-message.js';
import { runDag } from './run-dag.js';
import { sizeReport } from './size-report.js';
import { outputSummary, resultFacts } from './action-report.js';
import { checkPlatform } from './check-platform.js';
import { TraceRecorder } from './trace-recorder.js';
import { ActionRunner, type RemoteCook } from './runner/action-runner.js';
import { DiagnosticError } from '../diagnostic/diagnostic.js';
import { actionKey, actionKind, findCached, prepareAction, toolsChanged, type ActionEnv, type ActionInput, type ActionOutcome, type ActionValue } from './requests/action.js';
import { engineKinds, type EngineKinds } from './requests/engine-kinds.js';
import { materializeKind, type MaterializedValue } from './requests/materialize-outputs.js';
import { settleRacyFiles } from './settle-racy-files.js';
import { LmdbTrackerStore } from './tracker/lmdb-tracker-store.js';
import type { RequestKind } from './tracker/request-kind.js';
import { RequestTracker, type TrackerStats } from './tracker/request-tracker.js';
import type { TrackerStore } from './tracker/tracker-store.js';
import { recordKey } from './tracker/build-record.js';
import { requestId } from './tracker/request-kind.js';

import type { BuildRequest, BuildResult, BuildRun } from './build-request.js';
import { RecordStep } from './record-step.js';
import { collectReports, watchWorklist, type LastBuild } from './last-build.js';

export type { BuildRequest, BuildResult } from './build-request.js';

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

/** How many bytes of fresh outputs a build keeps in memory for materializing. */
const FRESH_BYTES_LIMIT = 256 * 1024 * 1024;

/**
 * Builds targets of one workspace for one platform: analyse (the graph request) → run (an action
 * request per target, dependencies first, `--jobs` at once) → materialize (a request per
 * requested target) → save (the nodes that ran, in one store transaction). All incremental state
 * lives in the request tracker; a long-lived builder (watch) hears about edits only through
 * `changed(paths)`.
 */
export class Builder {
  readonly cache: CacheStack;
  readonly platform: string;
  readonly jobs: number;
  readonly runner: ActionRunner;
  readonly workers: number;
  readonly actionTimeoutMs: number;
  private readonly tracker: RequestTracker;
  private readonly kinds: EngineKinds;
  private current: Workspace;
  /** Set once `changed` is called: from then on file events, not stats, say what changed. */
  private watching = false;
  /** Reports of unchanged actions, reused while their value is the same object (watch mode). */
  private readonly cachedReports = new WeakMap<ActionValue, TargetReport>();
  /**
   * The last build's graph, reports and kiln-out paths: while a watch session's graph stays the
   * same object, a build looks only at the targets whose requests were invalidated since.
   */
  private lastBuild: LastBuild | undefined;
  private readonly toolchain: string;
  private readonly remote: boolean;
  /** The platform as asked for (''  for the default, which the root assets.yaml decides: a leaf of every record). */
  private readonly platformAsked: string;
  private readonly records: RecordStep;
  private lastRecordPath: RecordStep['lastPath'];
  /**
   * Request inputs per analysed graph: while a watch session's graph stays the same object, every
   * build hands the tracker the same input objects, which it compares by identity instead of JSON.
   */
  private readonly inputCache = new WeakMap<TargetGraph, GraphInputs>();

  constructor(options: BuilderOptions) {
    this.current = options.workspace;
    this.cache = options.cache;
    const config = options.workspace.config;
    this.platform = options.platform ?? config.defaultPlatform;
    checkPlatform(options.workspace, this.platform);
    this.jobs = Math.max(1, options.jobs ?? availableParallelism());
    this.tracker = new RequestTracker(options.store ?? LmdbTrackerStore.open(join(config.cacheDir, 'state')), config.root);
    this.kinds = engineKinds(config.root, options.workspace.rules, this.platform);
    this.tracker.register(...this.kinds.all);
    this.workers = options.workers ?? this.jobs;
    this.actionTimeoutMs = options.actionTimeoutMs ?? 0;
    this.toolchain = options.toolchain ?? toolchainOf(options.workspace);
    this.platformAsked = options.platform ?? '';
    this.records = new RecordStep({
      tracker: this.tracker,
      platform: this.platform,
      jobs: this.jobs,
      toolchainIsCode: options.toolchain !== undefined,
      rules: () => this.current.rules,
      runSteps: (request, started, materializeOnly) => this.runSteps(request, started, materializeOnly),
      graphOf: (input) => this.tracker.get(this.kinds.graph, input).graph,
    });
    this.remote = options.remote !== undefined || (options.cache as { metrics?: unknown }).metrics !== undefined;
    this.runner = new ActionRunner({ root: config.root, workers: this.workers, timeoutMs: this.actionTimeoutMs, ...(options.workerHeapMb ? { workerHeapMb: options.workerHeapMb } : {}), ...(options.remote ? { remote: options.remote } : {}) });
  }

  /** The workspace as of the last build (the root assets.yaml is re-read when it changes). */
  get workspace(): Workspace {
    return this.current;
  }

  /**
   * Workspace-relative paths that changed on disk (watch mode); see RequestTracker.changed.
   * Returns how many requests that invalidated (0: nothing any build read changed).
   */
  changed(paths: Iterable<string>): number {
    this.watching = true;
    return this.tracker.changed(paths);
  }

  /** The last known outputs of a target on this platform (watch server, `kiln query`). */
  lastOutputs(label: string): readonly OutputRecord[] | undefined {
    return this.tracker.peek<{ label: string }, ActionValue>(actionKey(this.platform), { label })?.outputs;
  }

  /**
   * Workspace-relative files the last successful build of a target read: its declared sources
   * and the inputs its rule discovered.
   */
  inputsOf(label: string): string[] | undefined {
    const value = this.tracker.peek<{ label: string }, ActionValue>(actionKey(this.platform), { label });
    if (!value) return undefined;
    return [...new Set([...Object.keys(value.inputs.srcs ?? {}), ...Object.keys(value.discovered)])].sort();
  }

  /** How the last build used its build record (undefined: it could not use one, e.g. watch mode). */
  get recordPath(): RecordStep['lastPath'] {
    return this.lastRecordPath;
  }

  /** What the request tracker did in the last build (requests run, verified, loaded from the store). */
  get trackerStats(): Readonly<TrackerStats> {
    return this.tracker.stats;
  }

  /** Stop the worker pool (idle workers never keep the process alive, and exit after 10 idle minutes). */
  close(): Promise<void> {
    return this.runner.close();
  }

  /**
   * Build the requested patterns. A fresh builder first checks the build record of this request
   * (record-step.ts): no leaf changed → its result, without loading a node; only sources or
   * kiln-out files changed → exactly the targets reading them and their dependents are built;
   * anything else (an assets.yaml, a folder, no record) → the four steps for everything.
   */
  async build(request: BuildRequest): Promise<BuildResult> {
    const started = performance.now();
    const key = this.recordKeyOf(request);
    this.lastRecordPath = undefined;
    if (key === undefined) return withGraph((await this.runSteps(request, started)).summary);
    const result = await this.records.build(request, key, this.current.config, started);
    this.lastRecordPath = this.records.lastPath;
    return result;
  }

  /** The record key of a request, or undefined when this build must not use a record. */
  private recordKeyOf(request: BuildRequest): string | undefined {
    if (request.record === false || this.watching || this.remote || request.checkDeterminism || request.validateOnly) return undefined;
    if (this.current.config.remoteCache) return undefined;
    return recordKey({ toolchain: this.toolchain, patterns: request.patterns, platform: this.platformAsked, materialize: request.materialize !== false, keepGoing: request.keepGoing === true });
  }

  private inputsFor(graph: TargetGraph): GraphInputs {
    let inputs = this.inputCache.get(graph);
    if (!inputs) {
      inputs = Object.assign(new Map<string, ActionInput>(), { materialize: new Map<string, { label: string; pkg: string }>(), requested: new Set(graph.requested) });
      this.inputCache.set(graph, inputs);
    }
    return inputs;
  }

  /** The four steps for the request's patterns; `materializeOnly` limits kiln-out to targets the original request asked for. */
  private async runSteps(request: BuildRequest, started: number, materializeOnly?: ReadonlySet<string>): Promise<BuildRun> {
    const reporter = request.reporter ?? silentReporter;
    const trace = new TraceRecorder();
    if (this.watching) this.tracker.beginWatchBuild();
    else this.tracker.newEpoch();
    const invalidated = this.tracker.takeInvalidated();
    const hashedBefore = this.kinds.file.hashed;

    // Analyse.
    const workspace = this.tracker.get(this.kinds.workspace, null);
    checkPlatform(workspace, this.platform);
    this.current = workspace;
    const graphInput = { patterns: [...request.patterns], keepGoing: request.keepGoing ?? false };
    const { graph, failures: unanalysable } = this.tracker.get(this.kinds.graph, graphInput);
    const nodes = graph.topologicalOrder();
    // Pool threads boot and import their rules while the rest of the build prepares (runner's part).
    if (!this.watching) this.runner.warm(rulesOf(workspace, graph, nodes));
    const inputs = this.inputsFor(graph);
    const requested = inputs.requested;
    const watchBuild = this.watching && !request.checkDeterminism && !request.validateOnly;
    const last = watchBuild && this.lastBuild?.graph === graph ? this.lastBuild : undefined;
    // A watch build on the same graph updates the last build's reports in place.
    const reports = last?.reports ?? new Map<string, TargetReport>();
    reporter.started(nodes.length + unanalysable.length);
    // With keepGoing, what could not be analysed (broken assets.yaml, cycles) fails like a target.
    const notAnalysed = unanalysable.map((f): TargetReport => ({ label: f.label, rule: '', status: 'failed', durationMs: 0, outputs: [], diagnostics: f.diagnostics, stats: {} }));
    for (const report of notAnalysed) reporter.actionFinished(report);

    const inputOf = (label: string): ActionInput => {
      let input = inputs.get(label);
      if (!input) {
        const rule = workspace.rules.get(graph.target(label).rule);
        input = { label, keyDeps: rule?.transitiveDeps ? graph.closure(label).slice(0, -1) : graph.depsOf(label) };
        inputs.set(label, input);
      }
      return input;
    };
    // Bytes just cooked for requested targets, so kiln-out is written without reading them back
    // from the store; bounded, the rest is read from the store as usual.
    const fresh = new Map<string, Uint8Array>();
    let freshTotal = 0;
    const outcomes = new Map<string, ActionOutcome>();
    const env: ActionEnv = {
      workspace,
      platform: this.platform,
      cache: this.cache,
      runner: this.runner,
      graph,
      tracker: this.tracker,
      file: this.kinds.file,
      settings: this.kinds.settings,
      rule: this.kinds.rule,
      workspaceKind: this.kinds.workspace,
      decl: this.kinds.decl as RequestKind<string, unknown>,
      inputOf,
      checkDeterminism: request.checkDeterminism === true,
      signal: request.signal ?? new AbortController().signal,
      ran: (label, outcome) => {
        outcomes.set(label, outcome);
        if (!requested.has(label) || !outcome.bytes) return;
        for (const [key, bytes] of outcome.bytes) {
          if (freshTotal + bytes.byteLength > FRESH_BYTES_LIMIT) return;
          fresh.set(key, bytes);
          freshTotal += bytes.byteLength;
        }
      },
    };
    const action = actionKind(env);
    const materializer = materializeKind({ outDir: workspace.config.outDir, platform: this.platform, blobs: this.cache.blobs, action, inputOf, fresh });
    this.tracker.register(action as never, materializer as never);

    const finish = (report: TargetReport): 'ok' | 'failed' => {
      reports.set(report.label, report);
      reporter.actionFinished(report);
      return report.status === 'failed' ? 'failed' : 'ok';
    };

    // Run.
    const runTarget = async (label: string, slot: number): Promise<'ok' | 'failed'> => {
      const begin = trace.now();
      const decl = graph.target(label);
      reporter.actionStarted(label, decl.rule);
      const base: TargetReport = { label, rule: decl.rule, status: 'failed', durationMs: 0, outputs: [], diagnostics: [], stats: {} };
      try {
        if (request.validateOnly === true && requested.has(label)) return finish(await this.validate(env, inputOf(label), base));
        const input = inputOf(label);
        if (request.checkDeterminism || (await toolsChanged(env, label, this.tracker.peek<{ label: string }, ActionValue>(actionKey(this.platform), { label })))) this.tracker.forget(action, input);
        const value = await this.tracker.runAsync(action, input);
        const outcome = outcomes.get(label);
        const end = trace.now();
        const status = outcome?.status ?? 'cached';
        trace.span(label, status, slot, begin, end, outcome?.reasons ? { reasons: outcome.reasons } : undefined);
        return finish({
          ...base,
          status,
          durationMs: status === 'executed' ? outcome!.durationMs : end - begin,
          ...(status === 'executed' ? { reasons: outcome?.reasons, ...(outcome?.where ? { ranIn: outcome.where } : {}) } : {}),
          ...resultFacts(value),
        });
      } catch (error) {
        const { diagnostics, stack } = failureDiagnostics(error, decl);
        const end = trace.now();
        trace.span(label, 'failed', slot, begin, end);
        return finish({ ...base, status: 'failed', durationMs: end - begin, diagnostics, ...(stack ? { stack } : {}) });
      }
    };

    // Watch mode: what the save did not touch is still valid; report it without scheduling.
    // Invalidation reaches every dependent, so the rest (what must run) is closed under
    // "depends on", and its dependencies outside it are done.
    const dagOutcomes = new Map<string, 'ok' | 'failed' | 'skipped'>();
    let pending = nodes;
    let rematerialize: ReadonlySet<string> = new Set();
    if (last) {
      ({ pending, rematerialize } = watchWorklist(last, invalidated, this.platform, reporter));
    } else if (watchBuild) {
      pending = [];
      for (const label of nodes) {
        const value = this.tracker.currentValue<ActionInput, ActionValue>(action, inputOf(label));
        if (!value) {
          pending.push(label);
          continue;
        }
        let report = this.cachedReports.get(value);
        if (!report || report.label !== label) {
          const decl = graph.target(label);
          report = { label, rule: decl.rule, status: 'cached', durationMs: 0, ...resultFacts(value) };
          this.cachedReports.set(value, report);
        }
        reports.set(label, report);
        reporter.actionFinished(report);
        dagOutcomes.set(label, 'ok');
      }
    }
    const pendingSet = new Set(pending);
    const ran = await runDag({
      nodes: pending,
      depsOf: (label) => (pending === nodes ? graph.depsOf(label) : graph.depsOf(label).filter((dep) => pendingSet.has(dep))),
      run: runTarget,
      onSkip: (label, cause) => {
        const decl = graph.target(label);
        const report: TargetReport = { label, rule: decl.rule, status: 'skipped', durationMs: 0, outputs: [], diagnostics: [{ code: 'dependency-failed', severity: 'error', message: `not built: dependency ${cause} failed`, label }], stats: {} };
        reports.set(label, report);
        reporter.actionFinished(report);
      },
      jobs: this.jobs,
      keepGoing: request.keepGoing ?? false,
      signal: request.signal,
      groupOf: (label) => graph.target(label).rule,
    });
    for (const [label, outcome] of ran) dagOutcomes.set(label, outcome);

    // Materialize.
    const materialized: string[] = [];
    const paths = new Map<string, string[]>();
    if (request.materialize !== false && !request.validateOnly) {
      for (const label of graph.requested) {
        const kept = last && !dagOutcomes.has(label) && !rematerialize.has(label) ? last.paths.get(label) : undefined;
        if (kept) {
          paths.set(label, kept);
          materialized.push(...kept);
          continue;
        }
        if ((last ? reports.get(label)?.status === 'failed' || reports.get(label)?.status === 'skipped' : dagOutcomes.get(label) !== 'ok') || (materializeOnly && !materializeOnly.has(label))) continue;
        let input = inputs.materialize.get(label);
        if (!input) inputs.materialize.set(label, (input = { label, pkg: graph.target(label).pkg }));
        let value = this.watching ? this.tracker.currentValue<typeof input, MaterializedValue>(materializer, input) : undefined;
        try {
          value ??= await this.tracker.runAsync(materializer, input);
        } catch (error) {
          // One target's kiln-out files failing (a name too long, a full disk, a bad blob) fails
          // that target only; the rest of kiln-out is still written.
          if (!(error instanceof DiagnosticError)) throw error;
          const report = reports.get(label);
          const failed: TargetReport = { ...(report ?? { label, rule: graph.target(label).rule, durationMs: 0, outputs: [], stats: {}, diagnostics: [] }), status: 'failed', diagnostics: [...(report?.diagnostics ?? []), ...error.diagnostics], ...(error.stack ? { stack: error.stack } : {}) };
          reports.set(label, failed);
          reporter.actionFinished(failed);
          continue;
        }
        paths.set(label, value.paths);
        materialized.push(...value.paths);
      }
    }

    // Save.
    const remoteWarnings = (await this.cache.flush?.()) ?? [];
    for (const warning of remoteWarnings) reporter.warning(warning);
    settleRacyFiles(this.tracker, this.kinds.file);
    this.tracker.save();

    const { targets, counts, unfinished } = collectReports(notAnalysed, nodes, reports);
    if (watchBuild || !this.watching) this.lastBuild = { graph, reports, paths, index: last?.index ?? new Map(nodes.map((label, i) => [label, i])), unfinished };
    const summary: BuildSummary & { graph: TargetGraph } = {
      platform: this.platform,
      executed: counts.executed,
      cached: counts.cached,
      failed: counts.failed,
      skipped: counts.skipped,
      durationMs: Math.round(performance.now() - started),
      filesHashed: this.kinds.file.hashed - hashedBefore,
      warnings: counts.warnings,
      targets,
      materialized,
      graph,
    };
    if (request.profilePath) await trace.write(request.profilePath, this.jobs);
    reporter.finished(summary);
    return { summary, graphId: requestId(this.kinds.graph, graphInput), order: nodes, requested: materializeOnly ? graph.requested.filter((l) => materializeOnly.has(l)) : graph.requested, reports };
  }

  /** A requested target under `kiln validate`: its rule's validator runs; nothing is stored. */
  private async validate(env: ActionEnv, input: ActionInput, base: TargetReport): Promise<TargetReport> {
    const read = <I>(kind: RequestKind<I, unknown>, i: I) => this.tracker.get(kind, i);
    const depValue = (dep: string) => this.tracker.peek<{ label: string }, ActionValue>(actionKey(this.platform), { label: dep })!;
    const prepared = await prepareAction(env, input, read, depValue);
    const began = performance.now();
    const ctx = await cookInto(this.cache.blobs, prepared.rule, prepared.init, true);
    const durationMs = performance.now() - began;
    const previous = this.tracker.peek<{ label: string }, ActionValue>(actionKey(this.platform), input);
    const discoveredNow = (paths: Iterable<string>) => Object.fromEntries([...paths].sort().map((path) => [path, this.tracker.get(this.kinds.file, path).digest]));
    // Validators write no outputs: report the sizes of the cooked result when the cache has it.
    const sized = (await findCached(this.cache, prepared.primary, previous, discoveredNow))?.outputs ?? [];
    const reasons = explainChange(previous && { inputs: previous.inputs, discovered: previous.discovered }, prepared.inputs, previous && discoveredNow(Object.keys(previous.discovered)));
    return { ...base, status: 'executed', durationMs, ranIn: ctx.ranIn, reasons, outputs: outputSummary(ctx.outputs), diagnostics: ctx.diagnostics, stats: ctx.stats, size: sizeReport(prepared.srcs, sized, ctx.stats) };
  }
}

/** The result with its graph kept off JSON and object spreads (a recorded build analyses it only when read). */
function withGraph(summary: BuildSummary & { graph: TargetGraph; extra?: unknown }): BuildResult {
  return Object.defineProperty(summary, 'graph', { value: summary.graph, enumerable: false, writable: false });
}

/** Every rule's name@version: a version bump changes the record key of every build. */
function toolchainOf(workspace: Workspace): string {
  const ids = [...workspace.rules.values()].map((rule) => `${rule.name}@${rule.version}`).sort();
  return createHash('sha256').update(ids.join('\n')).digest('hex');
}

/** Request inputs of one analysed graph (see Builder.inputCache). */
type GraphInputs = Map<string, ActionInput> & { materialize: Map<string, { label: string; pkg: string }>; requested: ReadonlySet<string> };

/** The rule of each node that has one (what a build may cook), for ActionRunner.warm. */
function* rulesOf(workspace: Workspace, graph: TargetGraph, nodes: readonly string[]): Iterable<AnyRule> {
  for (const label of nodes) {
    const rule = workspace.rules.get(graph.target(label).rule);
    if (rule) yield rule;
  }
}
