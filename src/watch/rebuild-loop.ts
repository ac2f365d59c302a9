/**
 * The incremental loop behind `kiln watch`: file events → debounced batch → impact (which
 * targets, which packages) → stat-cache and package invalidation → an in-process build of the
 * watched patterns on the long-lived Builder (untouched targets are cache hits from its warm
 * state) → protocol messages for what changed, failed, recovered or disappeared.
 *
 * Failures never replace the last good version: a failed target keeps its entry in `current` and
 * its blob stays served. A build whose results are already stale (files changed while it ran)
 * does not report failures or removals — they are usually a half-written save — and forces the
 * next build, which reports them if they are real.
 */
import { Builder } from '../engine/builder.js';
import type { BuildSummary, TargetReport } from '../engine/build-result.js';
import type { TargetGraph } from '../graph/target-graph.js';
import type { AssetVersion, BuildTimings, ErrorMessage, HelloMessage, ServerMessage } from '../runtime/hot-reload-protocol.js';
import { HOT_RELOAD_PROTOCOL } from '../runtime/hot-reload-protocol.js';
import { assetIdOf } from '../workspace/label.js';
import { type Diagnostic, DiagnosticError } from '../diagnostic/diagnostic.js';
import { formatDiagnostic } from '../diagnostic/format-diagnostic.js';
import { Workspace } from '../workspace/workspace.js';
import { AssetVersions, changedParts, sameOutputs } from './asset-versions.js';
import { ChangeBatcher, type ChangeBatch } from './change-batcher.js';
import { changeImpact, type ChangeImpact } from './change-impact.js';
import { FileWatcher, workspaceRelative } from './file-watcher.js';
import { InputIndex } from './input-index.js';

export interface RebuildLoopOptions {
  builder: Builder;
  patterns: readonly string[];
  /** Quiet time that closes a batch of file events (default 5 ms). */
  quietMs?: number;
  /** Longest a batch stays open while events keep coming (default 100 ms). */
  maxWaitMs?: number;
  /** Extra wait when a known input vanished, for the new file of an atomic save (default 40 ms). */
  deleteGraceMs?: number;
  send: (message: ServerMessage) => void;
  log?: (line: string) => void;
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RebuildLoop {
  builder: Builder;
  /** Current (last good) version of every built target. */
  readonly current = new Map<string, AssetVersion>();
  /** Targets failing now. */
  readonly failing = new Map<string, ErrorMessage>();
  builds = 0;
  private readonly patterns: string[];
  private readonly versions = new AssetVersions();
  private readonly batcher: ChangeBatcher;
  private readonly watcher: FileWatcher;
  private index = new InputIndex();
  private running: Promise<void> | undefined;
  private forceNext = true;
  private workspaceError: ErrorMessage | undefined;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: RebuildLoopOptions) {
    this.builder = options.builder;
    this.patterns = [...options.patterns];
    this.batcher = new ChangeBatcher({ quietMs: options.quietMs ?? 5, maxWaitMs: options.maxWaitMs ?? 100, onReady: () => this.kick() });
    const config = this.builder.workspace.config;
    const root = config.root;
    const ignore = [workspaceRelative(root, config.cacheDir), workspaceRelative(root, config.outDir)].filter(Boolean);
    this.watcher = new FileWatcher({
      root,
      ignore,
      onChange: (path, at) => this.batcher.add(path, at),
      onError: (error) => this.options.log?.(`watcher: ${error.message}`),
    });
  }

  /** Starts watching, then runs the first build (which finds what changed while kiln was off by stat). */
  async start(): Promise<void> {
    this.watcher.start();
    this.running = this.drain(undefined);
    await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher.close();
    this.batcher.close();
    await this.running;
  }

  /** Resolves once no build runs and no file event waits (tests, benchmarks). */
  idle(): Promise<void> {
    if (!this.running && !this.batcher.pending) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  hello(): HelloMessage {
    return {
      type: 'hello',
      protocol: HOT_RELOAD_PROTOCOL,
      platform: this.builder.platform,
      patterns: this.patterns,
      build: this.builds,
      assets: [...this.current.values()],
      errors: [...this.failing.values(), ...(this.workspaceError ? [this.workspaceError] : [])],
    };
  }

  private kick(): void {
    if (this.running || this.closed) return;
    this.running = this.drain(this.batcher.take());
  }

  /** Builds for `batch`, then for whatever arrived meanwhile, until nothing is ready. */
  private async drain(batch: ChangeBatch | undefined): Promise<void> {
    try {
      let next = batch;
      let first = batch === undefined;
      while (!this.closed && (first || next)) {
        await this.cycle(next, first);
        first = false;
        next = this.batcher.isReady ? this.batcher.take() : undefined;
      }
    } catch (error) {
      this.options.log?.(`watch loop: ${(error as Error).stack ?? String(error)}`);
    } finally {
      this.running = undefined;
      if (!this.batcher.pending) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async cycle(batch: ChangeBatch | undefined, initial: boolean): Promise<void> {
    let savedAt = batch?.firstAt ?? now();
    const paths = new Set(batch?.paths ?? []);
    if (!initial) {
      let impact = this.invalidate(paths);
      if (impact.missing.length > 0 && (this.options.deleteGraceMs ?? 40) > 0) {
        // An atomic save removes or renames the old file before the new one lands: wait for it.
        await sleep(this.options.deleteGraceMs ?? 40);
        const more = this.batcher.take();
        if (more) {
          for (const path of more.paths) paths.add(path);
          savedAt = Math.min(savedAt, more.firstAt);
          impact = this.invalidate(more.paths, impact);
        }
      }
      if (!this.forceNext && !this.relevant(impact)) return;
    }
    await this.build([...paths].sort(), savedAt);
  }

  /** Drops stale knowledge for `paths`; returns (or extends) the batch's impact. */
  private invalidate(paths: Iterable<string>, into?: ChangeImpact): ChangeImpact {
    const config = this.builder.workspace.config;
    const impact = changeImpact(paths, this.index, config.root, config.packagesPath);
    if (into) {
      into.rootConfig ||= impact.rootConfig;
      into.everything ||= impact.everything;
      for (const key of ['packageFiles', 'globPackages', 'labels', 'inputs'] as const) for (const v of impact[key]) into[key].add(v);
      into.missing = [...new Set([...into.missing, ...impact.missing])];
    }
    for (const path of impact.inputs) this.builder.digester.invalidate(path);
    for (const path of paths) this.builder.digester.invalidate(path);
    if (impact.everything) {
      for (const path of this.index.paths) this.builder.digester.invalidate(path);
      this.builder.workspace.invalidate();
    }
    for (const pkg of impact.packageFiles) this.builder.workspace.invalidate(pkg);
    // Re-glob packages where files appeared or vanished; note whether their targets changed.
    for (const pkg of impact.globPackages) {
      if (impact.packageFiles.has(pkg)) continue;
      const before = this.signature(pkg);
      this.builder.workspace.invalidate(pkg);
      if (this.signature(pkg) !== before) (into ?? impact).globChanged = true;
    }
    if (impact.rootConfig) this.reopenWorkspace();
    return into ?? impact;
  }

  /** The root assets.yaml is read once per Workspace: a new Workspace and Builder pick up its edits. */
  private reopenWorkspace(): void {
    const old = this.builder;
    try {
      const workspace = Workspace.at(old.workspace.root, old.workspace.rules);
      this.builder = new Builder({ workspace, cache: old.cache, platform: old.platform, jobs: old.jobs, workers: old.workers, actionTimeoutMs: old.actionTimeoutMs });
      void old.close();
      this.workspaceError = undefined;
    } catch (error) {
      this.workspaceError = this.errorOf('assets.yaml', error);
      this.options.send(this.workspaceError);
    }
  }

  private relevant(impact: ChangeImpact): boolean {
    if (impact.rootConfig || impact.everything || impact.packageFiles.size > 0 || impact.labels.size > 0) return true;
    // While something fails, any change may be its fix (a failed cook records no discovered inputs).
    return impact.globChanged || this.failing.size > 0 || this.workspaceError !== undefined;
  }

  /** Targets and sources of a package, to tell whether a new or deleted file changed its globs. */
  private signature(pkg: string): string {
    try {
      const loaded = this.builder.workspace.package(pkg);
      return [...loaded.targets.values()].map((t) => `${t.label}=${t.srcs.join(',')}`).sort().join('\n');
    } catch (error) {
      return `broken: ${(error as Error).message}`;
    }
  }

  private async build(files: string[], savedAt: number): Promise<void> {
    const build = ++this.builds;
    const startedAt = now();
    this.forceNext = false;
    this.options.send({ type: 'build-started', build, files: files.slice(0, 100), savedAt });
    let summary: (BuildSummary & { graph: TargetGraph }) | undefined;
    try {
      summary = await this.builder.build({ patterns: this.patterns, keepGoing: true });
    } catch (error) {
      // The graph could not be built (a requested package vanished or is broken, a cycle…).
      const message = this.errorOf(this.patterns.join(' '), error, build);
      if (this.workspaceError?.message !== message.message) this.options.send(message);
      this.workspaceError = message;
      this.forceNext = true;
    }
    const builtAt = now();
    if (summary) {
      if (this.workspaceError && this.workspaceError.label !== 'assets.yaml') {
        this.options.send({ type: 'recovered', build, label: this.workspaceError.label, assetId: '' });
        this.workspaceError = undefined;
      }
      await this.report(summary, build, savedAt);
      this.index = InputIndex.of(summary.graph, this.builder);
    }
    const finishedAt = now();
    const timings: BuildTimings = {
      queueMs: round(startedAt - savedAt),
      buildMs: round(builtAt - startedAt),
      cookMs: round(summary?.targets.filter((t) => t.status === 'executed').reduce((n, t) => n + t.durationMs, 0) ?? 0),
      notifyMs: round(finishedAt - builtAt),
      totalMs: round(finishedAt - savedAt),
    };
    this.options.send({ type: 'build-finished', build, ok: summary !== undefined && summary.failed === 0, executed: summary?.executed ?? 0, cached: summary?.cached ?? 0, failed: summary?.failed ?? 0, timings });
    if (summary) this.options.log?.(`build ${build}: ${summary.executed} cooked, ${summary.cached} cached, ${summary.failed} failed in ${timings.buildMs} ms (${timings.totalMs} ms since save)`);
  }

  /** Compares the build's results with `current` and sends what clients must know. */
  private async report(summary: BuildSummary & { graph: TargetGraph }, build: number, savedAt: number): Promise<void> {
    const { graph } = summary;
    // Files changed while this build ran: its failures may be a half-written save.
    const stale = this.batcher.pending;
    for (const target of summary.targets) {
      const { label } = target;
      if (target.status === 'executed' || target.status === 'cached') {
        const version = await this.versions.versionOf(this.builder, graph, label);
        if (!version) continue;
        const previous = this.current.get(label);
        if (this.failing.delete(label)) this.options.send({ type: 'recovered', build, label, assetId: version.assetId });
        if (previous && sameOutputs(previous, version)) continue;
        this.current.set(label, version);
        this.options.send({
          type: 'changed',
          build,
          ...version,
          digest: version.outputs[0]?.digest ?? '',
          ...(previous ? { previous: previous.outputs[0]?.digest ?? '' } : {}),
          parts: changedParts(previous, version),
          savedAt,
          cookMs: target.status === 'executed' ? round(target.durationMs) : 0,
        });
      } else if (target.status === 'failed') {
        if (stale) {
          this.forceNext = true;
          continue;
        }
        this.fail(target, build, savedAt);
      }
    }
    if (stale) return;
    // A package that could not be read (broken assets.yaml) drops its targets from the graph:
    // that is an error to fix, not a deletion, so nothing is removed until it reads again.
    if (summary.targets.some((t) => t.status === 'failed' && !graph.has(t.label))) {
      this.forceNext = true;
      return;
    }
    for (const label of [...this.current.keys()]) {
      if (graph.has(label)) continue;
      this.current.delete(label);
      this.failing.delete(label);
      this.options.send({ type: 'removed', build, label, assetId: assetIdOf(label), reason: 'no longer declared (its file or declaration was deleted)', savedAt });
    }
    for (const label of [...this.failing.keys()]) {
      if (graph.has(label)) continue;
      this.failing.delete(label);
      this.options.send({ type: 'recovered', build, label, assetId: '' });
    }
  }

  private fail(target: TargetReport, build: number, savedAt: number): void {
    const { label } = target;
    const diagnostic = target.diagnostics.find((d) => d.severity === 'error') ?? { code: 'rule-crashed', severity: 'error', message: 'failed', label };
    const text = formatDiagnostic(diagnostic);
    if (diagnostic.code === 'source-missing') {
      // A deleted source: the target cannot exist any more. Clients drop it.
      if (this.current.delete(label)) this.options.send({ type: 'removed', build, label, assetId: assetIdOf(label), reason: text, savedAt });
      this.failing.delete(label);
      return;
    }
    const message: ErrorMessage = { type: 'error', build, label, ...errorFields(diagnostic) };
    const before = this.failing.get(label);
    this.failing.set(label, message);
    if (before?.message !== message.message || before.file !== message.file || before.line !== message.line) {
      this.options.send(message);
      this.options.log?.(`ERROR: ${text}`);
    }
  }

  private errorOf(label: string, error: unknown, build = this.builds): ErrorMessage {
    const first = error instanceof DiagnosticError ? error.diagnostics[0] : undefined;
    if (first) return { type: 'error', build, label: first.label ?? label, ...errorFields(first), message: (error as Error).message };
    return { type: 'error', build, label, message: (error as Error).message ?? String(error) };
  }
}

/** The protocol's error fields are the Diagnostic's: clients point at the line without parsing text. */
function errorFields(d: Diagnostic): Pick<ErrorMessage, 'file' | 'line' | 'column' | 'message' | 'code' | 'hints'> {
  const loc = d.location;
  return {
    code: d.code,
    message: d.message,
    ...(loc ? { file: loc.file, ...(loc.line !== undefined ? { line: loc.line } : {}), ...(loc.column !== undefined ? { column: loc.column } : {}) } : {}),
    ...(d.hints?.length ? { hints: d.hints } : {}),
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
