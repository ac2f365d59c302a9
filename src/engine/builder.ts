import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { TargetGraph } from '../graph/target-graph.js';
import type { OutputRecord } from '../rule/output.js';
import type { CacheStack } from '../store/cache-stack.js';
import type { Workspace } from '../workspace/workspace.js';
import type { BuilderOptions } from './builder-options.js';
import type { BuildDelta, BuildRequest, BuildResult, BuildRun } from './build-request.js';
import { type BuildSummary, type TargetReport, silentReporter } from './build-result.js';
import { checkPlatform } from './check-platform.js';
import { actionInputOf, graphInputs, type GraphInputs } from './graph-inputs.js';
import { collectReports, concludeWatchBuild, lastBuildOf, TalliedReports, watchWorklist, type LastBuild, type ReportCounts } from './last-build.js';
import { liveFields } from './live-summary.js';
import { MaterializeStep } from './materialize-step.js';
import { RecordStep } from './record-step.js';
import { reportUnchanged } from './report-unchanged.js';
import { actionKey, type ActionValue } from './requests/action.js';
import { engineKinds, type EngineKinds } from './requests/engine-kinds.js';
import { FreshSources } from './fresh-sources.js';
import { rulesOf } from './rules-of.js';
import { runDag, type NodeOutcome } from './run-dag.js';
import { RunStep } from './run-step.js';
import { ActionRunner } from './runner/action-runner.js';
import { settleRacyFiles } from './settle-racy-files.js';
import { toolchainOf } from './toolchain-of.js';
import { TraceRecorder } from './trace-recorder.js';
import { recordKey } from './tracker/build-record.js';
import { LmdbTrackerStore } from './tracker/lmdb-tracker-store.js';
import { requestId } from './tracker/request-kind.js';
import { RequestTracker, type TrackerStats } from './tracker/request-tracker.js';
import { withGraph } from './with-graph.js';

export type { BuildRequest, BuildResult } from './build-request.js';
export type { BuilderOptions } from './builder-options.js';

/**
 * Builds targets of one workspace for one platform: analyse (the graph request) → run (an
 * action request per target, dependencies first, `--jobs` at once: run-step.ts) → materialize
 * (a request per requested target: materialize-step.ts) → save (the nodes that ran; a fresh
 * build also saves every few thousand targets, see run-step.ts). All incremental state lives in
 * the request tracker; a long-lived builder (watch) hears about edits only through
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
  /** Builds run so far (a BuildDelta's numbers). */
  private builds = 0;
  /** A deferred build left its cache flush and state save to `saveState` (see BuildRequest.deferSave). */
  private saveDue = false;
  /** Makes the last watch summary's unread live fields throw (see live-summary.ts). */
  private detachSummary: (() => void) | undefined;
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
    // The sources the file-digest request reads whole go to the in-process cooks that read them next.
    const fresh = new FreshSources();
    this.kinds = engineKinds(config.root, options.workspace.rules, this.platform, fresh);
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
    this.runner = new ActionRunner({ root: config.root, freshSources: fresh, workers: this.workers, timeoutMs: this.actionTimeoutMs, ...(options.workerHeapMb ? { workerHeapMb: options.workerHeapMb } : {}), ...(options.remote ? { remote: options.remote } : {}) });
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

  /** Save what a deferred build left, then stop the worker pool (idle workers never keep the process alive, and exit after 10 idle minutes). */
  async close(): Promise<void> {
    if (this.saveDue) await this.saveState();
    await this.runner.close();
  }

  /**
   * The bookkeeping after a build: commit the caches' pending writes, record files hashed too
   * young once they are old enough, write the request graph's new nodes. A build does it itself
   * unless asked to defer it (`deferSave`: watch announces the new outputs first). Returns the
   * caches' warnings.
   */
  async saveState(): Promise<string[]> {
    this.saveDue = false;
    const warnings = (await this.cache.flush?.()) ?? [];
    settleRacyFiles(this.tracker, this.kinds.file);
    this.tracker.save();
    return warnings;
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
      inputs = graphInputs(graph);
      this.inputCache.set(graph, inputs);
    }
    return inputs;
  }

  /** The four steps for the request's patterns; `materializeOnly` limits kiln-out to targets the original request asked for. */
  private async runSteps(request: BuildRequest, started: number, materializeOnly?: ReadonlySet<string>): Promise<BuildRun> {
    const reporter = request.reporter ?? silentReporter;
    if (this.saveDue) for (const warning of await this.saveState()) reporter.warning(warning);
    this.detachSummary?.();
    this.detachSummary = undefined;
    const trace = new TraceRecorder(request.profilePath !== undefined);
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
    const last = watchBuild && this.lastBuild?.graph === graph && this.lastBuild.complete ? this.lastBuild : undefined;
    // A watch build on the same graph updates the last build's reports in place.
    const reports = last?.reports ?? new TalliedReports();
    reporter.started(nodes.length + unanalysable.length);
    // With keepGoing, what could not be analysed (broken assets.yaml, cycles) fails like a target.
    const notAnalysed = unanalysable.map((f): TargetReport => ({ label: f.label, rule: '', status: 'failed', durationMs: 0, outputs: [], diagnostics: f.diagnostics, stats: {} }));
    for (const report of notAnalysed) reporter.actionFinished(report);
    const inputOf = actionInputOf(inputs, workspace, graph);

    const dagOutcomes = new Map<string, NodeOutcome>();
    const common = { request, reporter, tracker: this.tracker, platform: this.platform, graph, inputOf, reports, watching: this.watching };
    // A watch build writes each requested target's kiln-out as soon as its action is done (called only while the DAG runs).
    const run = new RunStep({ ...common, kinds: this.kinds, cache: this.cache, runner: this.runner, workspace, requested, trace, ready: (label, outcome) => materialize.ready(label, outcome) });
    const materialize = new MaterializeStep({ ...common, outDir: workspace.config.outDir, blobs: this.cache.blobs, action: run.action, fresh: run.fresh, inputs, last, dagOutcomes, materializeOnly });
    this.tracker.register(run.action as never, materialize.materializer as never);

    // Run. Watch mode: what the save did not touch is still valid; report it without scheduling.
    let pending = nodes;
    let rematerialize: ReadonlySet<string> = new Set();
    if (last) ({ pending, rematerialize } = watchWorklist(last, invalidated, this.platform, reporter));
    else if (watchBuild) pending = reportUnchanged(this.tracker, run.action, inputOf, graph, nodes, this.cachedReports, reports, reporter, dagOutcomes);
    const pendingSet = new Set(pending);
    const ran = await runDag({
      nodes: pending,
      depsOf: (label) => (pending === nodes ? graph.depsOf(label) : graph.depsOf(label).filter((dep) => pendingSet.has(dep))),
      run: run.run,
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
    await materialize.writeRest(pending, rematerialize);
    run.releaseFresh();

    // Save (in watch mode possibly after the caller announced the outputs).
    if (request.deferSave && watchBuild) this.saveDue = true;
    else for (const warning of await this.saveState()) reporter.warning(warning);

    const seq = ++this.builds;
    let delta: BuildDelta = { seq };
    let counts: ReportCounts;
    let targets: TargetReport[] = [];
    const { paths } = materialize;
    if (last) {
      ({ counts, delta } = concludeWatchBuild(last, notAnalysed, pending, seq));
    } else {
      ({ targets, counts } = collectReports(notAnalysed, nodes, reports));
      const complete = materialize.materializing && !materializeOnly && !request.checkDeterminism;
      if (watchBuild || !this.watching) this.lastBuild = lastBuildOf(graph, nodes, reports, paths, complete, seq);
    }
    const summary: BuildSummary & { graph: TargetGraph; delta?: BuildDelta } = {
      platform: this.platform,
      executed: counts.executed,
      cached: counts.cached,
      failed: counts.failed,
      skipped: counts.skipped,
      durationMs: Math.round(performance.now() - started),
      filesHashed: this.kinds.file.hashed - hashedBefore,
      warnings: counts.warnings,
      targets,
      materialized: materialize.materialized,
      graph,
    };
    Object.defineProperty(summary, 'delta', { value: delta, enumerable: false });
    if (last) this.detachSummary = liveFields(summary, { targets: () => collectReports(notAnalysed, nodes, reports).targets, materialized: () => graph.requested.flatMap((label) => paths.get(label) ?? []) });
    if (request.profilePath) await trace.write(request.profilePath, this.jobs);
    reporter.finished(summary);
    return { summary, graphId: requestId(this.kinds.graph, graphInput), order: nodes, requested: materializeOnly ? graph.requested.filter((l) => materializeOnly.has(l)) : graph.requested, reports };
  }
}
