import { join } from 'node:path';
import { diagnosticError } from '../diagnostic/diagnostic.js';
import type { TargetGraph } from '../graph/target-graph.js';
import type { RuleRegistry } from '../rule/registry.js';
import type { WorkspaceConfig } from '../workspace/workspace-config.js';
import type { BuildRequest, BuildResult, BuildRun } from './build-request.js';
import { type BuildReporter, type BuildSummary, type TargetReport, silentReporter } from './build-result.js';
import { rebuiltEntries, recordOfBuild, replayRecord, type RecordContext, type TargetFacts } from './recorded-build.js';
import { recordedReports, splicedReports, validEndsFor } from './recorded-replay.js';
import { lazyProperty, withRendered } from './rendered-summary.js';
import { ACTION_KIND, actionKey, type ActionValue } from './requests/action.js';
import type { MaterializedValue } from './requests/materialize-outputs.js';
import type { GraphInput } from './requests/target-graph.js';
import { toolLeaves } from './tool-leaves.js';
import { TraceRecorder } from './trace-recorder.js';
import { dirtyTargets, materializedOf, removeRecord, type BuildRecord, type RecordDetail, type RecordView } from './tracker/build-record.js';
import { loadDetail, loadRecord, readRecordView, readSection, readSectionInBackground, scanRecord } from './tracker/record-read.js';
import { outsRenamed, writeRecord, writeRecordDelta } from './tracker/record-write.js';
import { globalLeaves, type LeafScan } from './tracker/record-leaves.js';
import { renderMaterialized } from './tracker/rendered-report.js';
import type { RequestTracker } from './tracker/request-tracker.js';

/** A record as a partial build uses it: read and checked, its deps parsed, its reports still bytes. */
interface PartialRecord {
  ctx: RecordContext;
  view: RecordView;
  scan: LeafScan;
  detail: RecordDetail;
  /** Being read in the background while the dirty targets build. */
  reportBytes: Promise<Buffer | undefined>;
  materializedBytes: Buffer;
}

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
    const scan = reuse ? known.scan : view && scanRecord(view);
    // Only when something may be reused are the deps read, and the reports only as bytes.
    const detail = view && scan && !scan.check.structural ? loadDetail(view) : undefined;
    if (view && scan && detail) {
      const dirty = dirtyTargets(detail.deps, scan.check);
      if (dirty.size === 0) {
        const record = loadRecord(view);
        if (record) {
          this.lastPath = 'recorded';
          return this.replay(record, request, started);
        }
      } else {
        // Opened now, not when printed: a concurrent build may sweep this base meanwhile.
        const [start, end] = view.sections.reports;
        const materializedBytes = readSection(view, 'materialized');
        if (materializedBytes && validEndsFor(end - start, scan)) {
          const reportBytes = readSectionInBackground(view, 'reports');
          this.lastPath = 'dirty-only';
          return this.rebuildDirty({ ctx, view, scan, detail, reportBytes, materializedBytes }, dirty, request, started);
        }
      }
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

  /**
   * Some sources or kiln-out files changed: build exactly the dirty targets, report the rest
   * from the record. The unchanged targets' reports stay the record's bytes unless a caller
   * reads `targets` (rendered-summary.ts); only the rebuilt entries are written (the delta).
   */
  private async rebuildDirty(from: PartialRecord, dirty: ReadonlySet<number>, request: BuildRequest, started: number): Promise<BuildResult> {
    const { ctx, view, scan, detail, materializedBytes } = from;
    const count = view.head.targets;
    const outer = request.reporter ?? silentReporter;
    const indexes = [...dirty].sort((a, b) => a - b);
    const labels = indexes.map((i) => detail.labels[i]!);
    const dirtyLabels = new Set(labels);
    const inner: BuildReporter = {
      started: () => outer.started(count),
      actionStarted: (label, rule) => outer.actionStarted(label, rule),
      actionFinished: (report) => {
        if (dirtyLabels.has(report.label)) outer.actionFinished(report);
      },
      warning: (message) => outer.warning(message),
      finished: () => {},
    };
    const requestedBefore = new Set(detail.requestedOrder.map((i) => detail.labels[i]!));
    const run = await this.host.runSteps({ ...request, patterns: labels, reporter: inner }, started, requestedBefore);
    const rebuilt = new Map<number, TargetReport>();
    for (const i of indexes) {
      const report = run.reports.get(detail.labels[i]!);
      if (report) rebuilt.set(i, report);
    }
    const reportBytes = await from.reportBytes;
    if (!reportBytes) {
      // The base was opened before the build; only a disk error or a hand-edited file gets here.
      removeRecord(ctx.stateDir, view.head.key);
      throw diagnosticError('cache-entry-invalid', `the build record ${view.basePath} could not be read back: run the build again`);
    }
    const recorded = recordedReports(reportBytes, scan, view, detail.labels);
    // The unchanged targets, as the record has them: counted, and printed only if they have something to say.
    const noted = scan.noted.filter((i) => !dirty.has(i) && !view.delta.has(i)).concat([...view.delta.keys()].filter((i) => !dirty.has(i) && view.delta.get(i)!.report.diagnostics.length > 0));
    const notedReports = noted.sort((a, b) => a - b).map((i) => recorded.one(i));
    if (outer.cachedQuietly?.(count - indexes.length - noted.length)) {
      for (const report of notedReports) outer.actionFinished(report);
    } else {
      recorded.all().forEach((report, i) => dirty.has(i) || outer.actionFinished(report));
    }
    const spoken = [...rebuilt.values()];
    const ok = this.recordable(run) && spoken.every((t) => t.status !== 'failed' && t.status !== 'skipped');
    const facts = ok ? this.factsOf(run, labels) : [];
    const global = globalLeaves(view.leaves);
    const changes = ok && global ? rebuiltEntries(ctx, global, detail.labels, detail.deps, new Map(indexes.map((i) => [detail.labels[i]!, i])), facts) : undefined;
    const renamed = changes !== undefined && outsRenamed(view, changes);
    const counted = (status: TargetReport['status']) => spoken.filter((t) => t.status === status).length;
    const summary: BuildSummary = {
      platform: view.head.platform,
      executed: counted('executed'),
      cached: count - indexes.length + counted('cached'),
      failed: counted('failed'),
      skipped: counted('skipped'),
      durationMs: Math.round(performance.now() - started),
      filesHashed: run.summary.filesHashed,
      warnings: [...spoken, ...notedReports].reduce((n, t) => n + t.diagnostics.filter((d) => d.severity === 'warning').length, 0),
      targets: [],
      materialized: [],
    };
    lazyProperty(summary, 'targets', () => recorded.all().map((report, i) => (dirty.has(i) ? rebuilt.get(i) : report)).filter((t): t is TargetReport => t !== undefined));
    // kiln-out as the record says, unless a rebuilt target now writes other file names.
    const materialized = (): string[] => {
      if (!renamed) return parsedPaths(materializedBytes, view.basePath);
      const record = loadRecord(view)!;
      for (const [i, entry] of changes) record.targets[i] = entry;
      return materializedOf(record);
    };
    lazyProperty(summary, 'materialized', materialized);
    if (spoken.length === indexes.length) {
      withRendered(summary, {
        spoken,
        reportsText: () => splicedReports(reportBytes, scan, new Map([...[...view.delta].map(([i, entry]): [number, TargetReport] => [i, entry.report]), ...rebuilt])),
        materializedText: () => [renamed ? renderMaterialized(summary.materialized) : materializedBytes],
      });
    }
    const result = this.withLazyGraph(summary, request);
    const extra = request.derive?.(summary, () => result.graph, view.head.extra);
    if (changes) writeRecordDelta(ctx.stateDir, view, changes, extra);
    else removeRecord(ctx.stateDir, view.head.key);
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

/** The record's kiln-out list section as paths (outside data: checked). */
function parsedPaths(bytes: Buffer, where: string): string[] {
  let paths: unknown;
  try {
    paths = JSON.parse(`[${bytes.toString('utf8')}]`);
  } catch {
    paths = undefined;
  }
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) throw diagnosticError('cache-entry-invalid', `the build record ${where} holds a kiln-out list that is not a list of paths: delete it and build again`);
  return paths as string[];
}
