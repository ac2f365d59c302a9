import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { digestKey, parseDigestKey } from '../hash/digest.js';
import type { TargetGraph } from '../graph/target-graph.js';
import type { SourceRef } from '../rule/context.js';
import type { OutputRecord } from '../rule/output.js';
import type { CacheStack } from '../store/cache-stack.js';
import { LocatedError } from '../workspace/located-error.js';
import type { Workspace } from '../workspace/workspace.js';
import { type BuildReporter, type BuildSummary, type TargetReport, silentReporter } from './build-result.js';
import { cookInto } from './cook-action.js';
import { explainChange } from './explain.js';
import { failureDiagnostics } from './failure-message.js';
import { runDag } from './run-dag.js';
import { sizeReport } from './size-report.js';
import { TraceRecorder } from './trace-recorder.js';
import { ActionRunner, type RemoteCook } from './runner/action-runner.js';
import { DiagnosticError } from '../diagnostic/diagnostic.js';
import { ACTION_KIND, actionKey, actionKind, findCached, prepareAction, toolsChanged, type ActionEnv, type ActionInput, type ActionOutcome, type ActionValue } from './requests/action.js';
import { engineKinds, type EngineKinds } from './requests/engine-kinds.js';
import { materializeKind, type MaterializedValue } from './requests/materialize-outputs.js';
import { settleRacyFiles } from './settle-racy-files.js';
import { LmdbTrackerStore } from './tracker/lmdb-tracker-store.js';
import type { RequestKind } from './tracker/request-kind.js';
import { RequestTracker, type TrackerStats } from './tracker/request-tracker.js';
import type { TrackerStore } from './tracker/tracker-store.js';
import { checkRecord, dirtyTargets, readRecord, recordKey, removeRecord, writeRecord, type BuildRecord } from './tracker/build-record.js';
import { cachedReport, mergeRecord, recordOfBuild, replayRecord, summaryOf, type RecordContext, type TargetFacts } from './recorded-build.js';
import { requestId } from './tracker/request-kind.js';
import { toolLeaves } from './tool-leaves.js';

export interface BuildRequest {
  patterns: readonly string[];
  keepGoing?: boolean;
  /** Run validators only for the requested targets (their dependencies still build). */
  validateOnly?: boolean;
  /** Copy requested outputs to kiln-out (default true). */
  materialize?: boolean;
  profilePath?: string;
  /**
   * Cook every action twice (cached ones are cooked again too) and compare output digests. A
   * rule that is not deterministic fails its target and nothing of it is cached or uploaded.
   */
  checkDeterminism?: boolean;
  reporter?: BuildReporter;
  signal?: AbortSignal;
  /**
   * Use and keep the build record (tracker/build-record.ts; default true): a fresh builder then
   * answers from it when no leaf changed, and builds only the dirty targets when a source did.
   * Never used in watch mode, with --check-determinism, validators or a remote cache/executor.
   */
  record?: boolean;
  /**
   * What the caller derives from the graph and the reports (budgets): computed after a full
   * build and kept in the record; returned as `extra` (from the record while nothing changed).
   * After a partial build it gets the recorded value as `previous` (reading `graph` then costs
   * a full analysis; skip it when `previous` says there is nothing the graph could change).
   */
  derive?: (summary: BuildSummary, graph: () => TargetGraph, previous: unknown) => unknown;
}

/** What `build` returns: the summary, the analysed graph (computed on first use after a recorded build), what `derive` gave. */
export type BuildResult = BuildSummary & { graph: TargetGraph; extra?: unknown };

/** What one run of the four steps leaves for the build record. */
interface BuildRun {
  summary: BuildSummary & { graph: TargetGraph };
  graphId: string;
  order: readonly string[];
  requested: readonly string[];
  reports: ReadonlyMap<string, TargetReport>;
}

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
   * What identifies the rules in the build record's key (default: every rule's name@version).
   * The CLI passes the identity of its installation, which it can compute without loading rules.
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
  private readonly toolchain: string;
  private readonly remote: boolean;
  /** The platform as asked for (''  for the default, which the root assets.yaml decides: a leaf of every record). */
  private readonly platformAsked: string;

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

  /** What the request tracker did in the last build (requests run, verified, loaded from the store). */
  get trackerStats(): Readonly<TrackerStats> {
    return this.tracker.stats;
  }

  /** Stop the worker pool (idle workers never keep the process alive, and exit after 10 idle minutes). */
  close(): Promise<void> {
    return this.runner.close();
  }

  /**
   * Build the requested patterns. A fresh builder first checks the build record of this request:
   * no leaf changed → its result, without loading a node; only sources or kiln-out files changed →
   * exactly the targets reading them and their dependents are built, the rest reported from the
   * record; anything else (an assets.yaml, a folder, no record) → the four steps for everything.
   */
  async build(request: BuildRequest): Promise<BuildResult> {
    const started = performance.now();
    const since = Date.now();
    const key = this.recordKeyOf(request);
    if (key === undefined) return withGraph((await this.runSteps(request, started)).summary);
    const config = this.current.config;
    const stateDir = join(config.cacheDir, 'state');
    const ctx: RecordContext = { key, root: config.root, outDir: config.outDir, platform: this.platform, skip: new Set([config.cacheDir, config.outDir]), since };
    const record = readRecord(stateDir, key, config.root, config.outDir);
    if (record) {
      const check = checkRecord(record);
      if (!check.structural) {
        const dirty = dirtyTargets(record, check);
        if (dirty.size === 0) return this.replay(record, request, started);
        return this.rebuildDirty(ctx, stateDir, record, dirty, request, started);
      }
    }
    const run = await this.runSteps(request, started);
    const extra = request.derive?.(run.summary, () => run.summary.graph, undefined);
    const result = withGraph({ ...run.summary, ...(extra !== undefined ? { extra } : {}) });
    const graphReads = this.recordable(run) ? this.tracker.readSet([run.graphId], () => false) : undefined;
    const tools = graphReads && this.toolLeavesOf(run);
    const written = graphReads && tools && recordOfBuild(ctx, graphReads, this.factsOf(run, run.order), run.requested, extra, tools);
    if (written) writeRecord(stateDir, written);
    else removeRecord(stateDir, key);
    return result;
  }

  /** The record key of a request, or undefined when this build must not use a record. */
  private recordKeyOf(request: BuildRequest): string | undefined {
    if (request.record === false || this.watching || this.remote || request.checkDeterminism || request.validateOnly) return undefined;
    if (this.current.config.remoteCache) return undefined;
    return recordKey({ toolchain: this.toolchain, patterns: request.patterns, platform: this.platformAsked, materialize: request.materialize !== false, keepGoing: request.keepGoing === true });
  }

  /** Whether a build's result may be recorded: it succeeded everywhere. */
  private recordable(run: BuildRun): boolean {
    const s = run.summary;
    return s.failed === 0 && s.skipped === 0 && s.targets.length === run.order.length;
  }

  /** The leaves behind every tool identity the targets used (tool-leaves.ts), or undefined when one has none. */
  private toolLeavesOf(run: BuildRun): [string, string][] | undefined {
    const leaves = new Map<string, string>();
    for (const label of run.order) {
      if (this.current.rules.get(run.summary.graph.target(label).rule)?.tools === undefined) continue;
      const value = this.tracker.peek<{ label: string }, ActionValue>(actionKey(this.platform), { label });
      const found = value ? toolLeaves(value.inputs.tools ?? {}) : undefined;
      if (!found) return undefined;
      for (const [path, sig] of found) leaves.set(path, sig);
    }
    return [...leaves];
  }

  private factsOf(run: BuildRun, labels: readonly string[]): TargetFacts[] {
    const requested = new Set(run.requested);
    return labels.map((label): TargetFacts => {
      const own = refId(actionKey(this.platform), { label });
      const materialized = requested.has(label) ? refId(materializeRef(this.platform), { label }) : undefined;
      const reads = this.tracker.readSet(materialized ? [own, materialized] : [own], (id) => id !== own && id.startsWith(`${ACTION_KIND}:`));
      const value = materialized ? this.tracker.peek<{ label: string }, MaterializedValue>(materializeRef(this.platform), { label }) : undefined;
      const outs = (value?.paths ?? []).map((path): [string, number, number] => [path, value!.files[path]?.size ?? -1, value!.files[path]?.mtimeMs ?? -1]);
      return { label, deps: run.summary.graph.depsOf(label), requested: requested.has(label), reads: materialized && !value ? undefined : reads, outs, report: run.reports.get(label) };
    });
  }

  /** Nothing changed: the recorded result. The graph is analysed only if a caller asks for it. */
  private async replay(record: BuildRecord, request: BuildRequest, started: number): Promise<BuildResult> {
    this.tracker.newEpoch();
    const summary = replayRecord(record, request.reporter ?? silentReporter, started);
    if (request.profilePath) await new TraceRecorder().write(request.profilePath, this.jobs);
    return this.withLazyGraph({ ...summary, ...(record.extra !== undefined ? { extra: record.extra } : {}) }, request);
  }

  /** Some sources or kiln-out files changed: build exactly the dirty targets, report the rest from the record. */
  private async rebuildDirty(ctx: RecordContext, stateDir: string, record: BuildRecord, dirty: ReadonlySet<number>, request: BuildRequest, started: number): Promise<BuildResult> {
    const outer = request.reporter ?? silentReporter;
    const labels = [...dirty].sort((a, b) => a - b).map((i) => record.targets[i]!.label);
    const dirtyLabels = new Set(labels);
    const inner: BuildReporter = {
      started: () => outer.started(record.targets.length),
      actionStarted: (label, rule) => outer.actionStarted(label, rule),
      actionFinished: (report) => {
        if (dirtyLabels.has(report.label)) outer.actionFinished(report);
      },
      warning: (message) => outer.warning(message),
      finished: () => {},
    };
    const requestedBefore = new Set(record.requestedOrder.map((i) => record.targets[i]!.label));
    const run = await this.runSteps({ ...request, patterns: labels, reporter: inner }, started, requestedBefore);
    const targets = record.targets.map((t) => {
      if (!dirtyLabels.has(t.label)) {
        outer.actionFinished(t.report);
        return t.report;
      }
      return run.reports.get(t.label);
    }).filter((t): t is TargetReport => t !== undefined);
    const ok = this.recordable(run) && targets.every((t) => t.status !== 'failed' && t.status !== 'skipped');
    const facts = ok ? this.factsOf(run, labels) : [];
    // Until the new record exists, kiln-out is what the old one says plus what this build wrote.
    const summary = summaryOf(record, targets, run.summary.filesHashed, started);
    const result = this.withLazyGraph(summary, request);
    const extra = request.derive?.(summary, () => result.graph, record.extra);
    const merged = ok ? mergeRecord(ctx, record, facts, extra) : undefined;
    if (merged) {
      writeRecord(stateDir, merged);
      summary.materialized = summaryOf(merged, targets, 0, started).materialized;
    } else {
      removeRecord(stateDir, record.key);
    }
    if (extra !== undefined) result.extra = extra;
    outer.finished(summary);
    return result;
  }

  /** The summary with `graph` analysed for the original patterns when first read. */
  private withLazyGraph(summary: BuildSummary & { extra?: unknown }, request: BuildRequest): BuildResult {
    let graph: TargetGraph | undefined;
    const input = { patterns: [...request.patterns], keepGoing: request.keepGoing ?? false };
    return Object.defineProperty(summary, 'graph', { enumerable: false, get: () => (graph ??= this.tracker.get(this.kinds.graph, input).graph) }) as BuildResult;
  }

  /** The four steps for the request's patterns; `materializeOnly` limits kiln-out to targets the original request asked for. */
  private async runSteps(request: BuildRequest, started: number, materializeOnly?: ReadonlySet<string>): Promise<BuildRun> {
    const reporter = request.reporter ?? silentReporter;
    const trace = new TraceRecorder();
    if (this.watching) this.tracker.beginWatchBuild();
    else this.tracker.newEpoch();
    const hashedBefore = this.kinds.file.hashed;

    // Analyse.
    const workspace = this.tracker.get(this.kinds.workspace, null);
    checkPlatform(workspace, this.platform);
    this.current = workspace;
    const graphInput = { patterns: [...request.patterns], keepGoing: request.keepGoing ?? false };
    const { graph, failures: unanalysable } = this.tracker.get(this.kinds.graph, graphInput);
    const nodes = graph.topologicalOrder();
    const requested = new Set(graph.requested);
    const reports = new Map<string, TargetReport>();
    reporter.started(nodes.length + unanalysable.length);
    // With keepGoing, what could not be analysed (broken assets.yaml, cycles) fails like a target.
    const notAnalysed = unanalysable.map((f): TargetReport => ({ label: f.label, rule: '', status: 'failed', durationMs: 0, outputs: [], diagnostics: f.diagnostics, stats: {} }));
    for (const report of notAnalysed) reporter.actionFinished(report);

    const inputs = new Map<string, ActionInput>();
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
          outputs: outputSummary(value.outputs),
          diagnostics: value.diagnostics,
          stats: value.stats,
          size: sizeReport(sourcesOf(value), value.outputs, value.stats),
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
    if (this.watching && !request.checkDeterminism && !request.validateOnly) {
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
          report = { label, rule: decl.rule, status: 'cached', durationMs: 0, outputs: outputSummary(value.outputs), diagnostics: value.diagnostics, stats: value.stats, size: sizeReport(sourcesOf(value), value.outputs, value.stats) };
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
    });
    for (const [label, outcome] of ran) dagOutcomes.set(label, outcome);

    // Materialize.
    const materialized: string[] = [];
    if (request.materialize !== false && !request.validateOnly) {
      for (const label of graph.requested) {
        if (dagOutcomes.get(label) !== 'ok' || (materializeOnly && !materializeOnly.has(label))) continue;
        const input = { label, pkg: graph.target(label).pkg };
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
        materialized.push(...value.paths);
      }
    }

    // Save.
    const remoteWarnings = (await this.cache.flush?.()) ?? [];
    for (const warning of remoteWarnings) reporter.warning(warning);
    settleRacyFiles(this.tracker, this.kinds.file);
    this.tracker.save();

    const targets = [...notAnalysed, ...nodes.map((label) => reports.get(label)).filter((r): r is TargetReport => r !== undefined)];
    const count = (status: TargetReport['status']) => targets.filter((t) => t.status === status).length;
    const summary: BuildSummary & { graph: TargetGraph } = {
      platform: this.platform,
      executed: count('executed'),
      cached: count('cached'),
      failed: count('failed'),
      skipped: count('skipped'),
      durationMs: Math.round(performance.now() - started),
      filesHashed: this.kinds.file.hashed - hashedBefore,
      warnings: targets.reduce((n, t) => n + t.diagnostics.filter((d) => d.severity === 'warning').length, 0),
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

function refId<I>(ref: { name: string; key(input: I): string }, input: I): string {
  return `${ref.name}:${ref.key(input)}`;
}

function materializeRef(platform: string): { name: string; key(input: { label: string }): string } {
  return { name: 'materialize', key: (input) => `${platform}|${input.label}` };
}

function checkPlatform(workspace: Workspace, platform: string): void {
  const known = Object.keys(workspace.config.platforms);
  if (known.length > 0 && !known.includes(platform)) {
    throw new LocatedError(`unknown platform "${platform}"; platforms: ${known.join(', ')}`, { file: 'assets.yaml' }, undefined, 'unknown-platform');
  }
  // The platform name becomes a folder of kiln-out (kiln-out/<platform>/…): one plain path segment.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(platform)) {
    throw new LocatedError(`platform name "${platform}" cannot be a folder name: use letters, digits, '.', '_' and '-'`, { file: 'assets.yaml' }, undefined, 'bad-config');
  }
}

function sourcesOf(value: ActionValue): SourceRef[] {
  return Object.entries(value.inputs.srcs).map(([path, key]) => ({ path, digest: parseDigestKey(key) ?? { hash: key, size: 0 } }));
}

function outputSummary(outputs: readonly OutputRecord[]): TargetReport['outputs'] {
  return outputs.map((o) => ({ name: o.name, digest: digestKey(o.digest), size: o.digest.size }));
}
