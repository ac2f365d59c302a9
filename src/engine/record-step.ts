import { join } from 'node:path';
import type { TargetGraph } from '../graph/target-graph.js';
import type { RuleRegistry } from '../rule/registry.js';
import type { WorkspaceConfig } from '../workspace/workspace-config.js';
import type { BuildRequest, BuildResult, BuildRun } from './build-request.js';
import { type BuildReporter, type BuildSummary, type TargetReport, silentReporter } from './build-result.js';
import { mergeRecord, recordOfBuild, replayRecord, summaryOf, type RecordContext, type TargetFacts } from './recorded-build.js';
import { ACTION_KIND, actionKey, type ActionValue } from './requests/action.js';
import type { MaterializedValue } from './requests/materialize-outputs.js';
import type { GraphInput } from './requests/target-graph.js';
import { toolLeaves } from './tool-leaves.js';
import { TraceRecorder } from './trace-recorder.js';
import { dirtyTargets, loadRecord, readRecordView, removeRecord, scanRecord, writeRecord, type BuildRecord, type RecordView } from './tracker/build-record.js';
import type { RequestTracker } from './tracker/request-tracker.js';

/** What the record step needs of its builder. */
export interface RecordHost {
  readonly tracker: RequestTracker;
  readonly platform: string;
  readonly jobs: number;
  /**
   * Whether the toolchain in the key stands for the rules' code (the CLI's installation) and not
   * only their names and versions: only then do tool identities the code computes hold still.
   */
  readonly toolchainIsCode: boolean;
  rules(): RuleRegistry;
  /** The four steps (analyse, run, materialize, save) for a request's patterns. */
  runSteps(request: BuildRequest, started: number, materializeOnly?: ReadonlySet<string>): Promise<BuildRun>;
  /** The analysed graph for patterns (a full analysis when not valid yet). */
  graphOf(input: GraphInput): TargetGraph;
}

/**
 * A fresh build through its build record (tracker/build-record.ts): stat the recorded leaves;
 * nothing changed → the recorded result; only sources or kiln-out files changed → the four steps
 * for exactly the dirty targets, the rest reported from the record; otherwise the four steps for
 * everything. Whatever ran, a successful build leaves the record for the next one.
 */
export class RecordStep {
  /** How the last build went: answered by the record, the dirty targets only, or every target. */
  lastPath: 'recorded' | 'dirty-only' | 'full' | undefined;

  constructor(private readonly host: RecordHost) {}

  async build(request: BuildRequest, key: string, config: WorkspaceConfig, started: number): Promise<BuildResult> {
    const since = Date.now();
    const stateDir = join(config.cacheDir, 'state');
    const ctx: RecordContext = { key, root: config.root, stateDir, outDir: config.outDir, platform: this.host.platform, skip: new Set([config.cacheDir, config.outDir]), since };
    const known = request.checkedRecord;
    const head = known?.view.head;
    const reuse = known !== undefined && head!.key === key && head!.stateDir === stateDir && head!.root === config.root && head!.outDir === config.outDir;
    const view = reuse ? known.view : readRecordView(stateDir, key, config.root, config.outDir);
    const check = reuse ? known.check : view && scanRecord(view)?.check;
    // Only when something may be reused are the reports and deps read (the whole record).
    const record = view && check && !check.structural ? loadRecord(view) : undefined;
    if (view && check && record) {
      const dirty = dirtyTargets(record, check);
      this.lastPath = dirty.size === 0 ? 'recorded' : 'dirty-only';
      if (dirty.size === 0) return this.replay(record, request, started);
      return this.rebuildDirty(ctx, stateDir, view, record, dirty, request, started);
    }
    this.lastPath = 'full';
    const run = await this.host.runSteps(request, started);
    const extra = request.derive?.(run.summary, () => run.summary.graph, undefined);
    const result = Object.defineProperty({ ...run.summary, ...(extra !== undefined ? { extra } : {}) }, 'graph', { value: run.summary.graph, enumerable: false }) as BuildResult;
    const graphReads = this.recordable(run) ? this.host.tracker.readSet([run.graphId], () => false) : undefined;
    const tools = graphReads && this.toolLeavesOf(run);
    const written = graphReads && tools && recordOfBuild(ctx, graphReads, this.factsOf(run, run.order), run.requested, extra, tools);
    if (written) writeRecord(stateDir, written);
    else removeRecord(stateDir, key);
    return result;
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
      if (this.host.rules().get(run.summary.graph.target(label).rule)?.tools === undefined) continue;
      if (!this.host.toolchainIsCode) return undefined;
      const value = this.host.tracker.peek<{ label: string }, ActionValue>(actionKey(this.host.platform), { label });
      const found = value ? toolLeaves(value.inputs.tools ?? {}) : undefined;
      if (!found) return undefined;
      for (const [path, sig] of found) leaves.set(path, sig);
    }
    return [...leaves];
  }

  private factsOf(run: BuildRun, labels: readonly string[]): TargetFacts[] {
    const requested = new Set(run.requested);
    return labels.map((label): TargetFacts => {
      const own = refId(actionKey(this.host.platform), { label });
      const materialized = requested.has(label) ? refId(materializeRef(this.host.platform), { label }) : undefined;
      const reads = this.host.tracker.readSet(materialized ? [own, materialized] : [own], (id) => id !== own && id.startsWith(`${ACTION_KIND}:`));
      const value = materialized ? this.host.tracker.peek<{ label: string }, MaterializedValue>(materializeRef(this.host.platform), { label }) : undefined;
      const outs = (value?.paths ?? []).map((path): [string, number, number] => [path, value!.files[path]?.size ?? -1, value!.files[path]?.mtimeMs ?? -1]);
      return { label, deps: run.summary.graph.depsOf(label), requested: requested.has(label), reads: materialized && !value ? undefined : reads, outs, report: run.reports.get(label) };
    });
  }

  /** Nothing changed: the recorded result. The graph is analysed only if a caller asks for it. */
  private async replay(record: BuildRecord, request: BuildRequest, started: number): Promise<BuildResult> {
    this.host.tracker.newEpoch();
    const summary = replayRecord(record, request.reporter ?? silentReporter, started);
    if (request.profilePath) await new TraceRecorder().write(request.profilePath, this.host.jobs);
    return this.withLazyGraph({ ...summary, ...(record.extra !== undefined ? { extra: record.extra } : {}) }, request);
  }

  /** Some sources or kiln-out files changed: build exactly the dirty targets, report the rest from the record. */
  private async rebuildDirty(ctx: RecordContext, stateDir: string, view: RecordView, record: BuildRecord, dirty: ReadonlySet<number>, request: BuildRequest, started: number): Promise<BuildResult> {
    const outer = request.reporter ?? silentReporter;
    const indexes = [...dirty].sort((a, b) => a - b);
    const labels = indexes.map((i) => record.targets[i]!.label);
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
    const run = await this.host.runSteps({ ...request, patterns: labels, reporter: inner }, started, requestedBefore);
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
      // Only the rebuilt entries are written (the head's delta), not the whole record.
      writeRecord(stateDir, merged, { view, old: record, changed: indexes });
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
    return Object.defineProperty(summary, 'graph', { enumerable: false, get: () => (graph ??= this.host.graphOf(input)) }) as BuildResult;
  }
}

function refId<I>(ref: { name: string; key(input: I): string }, input: I): string {
  return `${ref.name}:${ref.key(input)}`;
}

function materializeRef(platform: string): { name: string; key(input: { label: string }): string } {
  return { name: 'materialize', key: (input) => `${platform}|${input.label}` };
}
