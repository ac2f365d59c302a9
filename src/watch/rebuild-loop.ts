/**
 * The incremental loop behind `kiln watch`: file events → debounced batch → `builder.changed`
 * (the engine's request tracker invalidates exactly what read those paths) → an in-process build
 * of the watched patterns on the long-lived Builder (everything untouched is still valid and
 * costs nothing) → protocol messages for what changed, failed, recovered or disappeared.
 *
 * Failures never replace the last good version: a failed target keeps its entry in `current` and
 * its blob stays served. A build whose results are already stale (files changed while it ran)
 * does not report failures or removals — they are usually a half-written save — and forces the
 * next build, which reports them if they are real.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Builder } from '../engine/builder.js';
import type { BuildResult } from '../engine/build-request.js';
import type { TargetReport } from '../engine/build-result.js';
import { assetIdOf } from '../engine/engine-api.js';
import type { TargetGraph } from '../graph/target-graph.js';
import type { AssetVersion, BuildTimings, ErrorMessage, HelloMessage, ServerMessage } from '../format/hot-reload-protocol.js';
import { HOT_RELOAD_PROTOCOL } from '../format/hot-reload-protocol.js';
import { type Diagnostic, DiagnosticError } from '../diagnostic/diagnostic.js';
import { formatDiagnostic } from '../diagnostic/format-diagnostic.js';
import { AssetVersions, changedParts, sameOutputs } from './asset-versions.js';
import { ChangeBatcher, type ChangeBatch } from './change-batcher.js';
import { FileWatcher, workspaceRelative } from './file-watcher.js';

export interface RebuildLoopOptions {
  builder: Builder;
  patterns: readonly string[];
  /** Quiet time that closes a batch of file events (default 5 ms). */
  quietMs?: number;
  /** Longest a batch stays open while events keep coming (default 100 ms). */
  maxWaitMs?: number;
  /** Extra wait when a changed path vanished, for the new file of an atomic save (default 40 ms). */
  deleteGraceMs?: number;
  send: (message: ServerMessage) => void;
  log?: (line: string) => void;
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RebuildLoop {
  readonly builder: Builder;
  /** Current (last good) version of every built target. */
  readonly current = new Map<string, AssetVersion>();
  /** Targets failing now. */
  readonly failing = new Map<string, ErrorMessage>();
  builds = 0;
  private readonly patterns: string[];
  private readonly versions = new AssetVersions();
  /** The outputs object each target's `current` version was made from. */
  private readonly seenOutputs = new Map<string, unknown>();
  /** Each target's report as last handed over, by label. */
  private reported = new Map<string, TargetReport>();
  /** The builder's number of the last build reported (its BuildDelta.seq): the next delta must be relative to it. */
  private reportedBuild: number | undefined;
  /** The graph whose removals were last sent: on the same graph nothing more can have gone. */
  private removalsFor: TargetGraph | undefined;
  private readonly batcher: ChangeBatcher;
  private readonly watcher: FileWatcher;
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
    // From now on file events say what changed. The tracker's reverse edges (one pass over every
    // request in memory) are built here, not on the first save.
    this.builder.changed([]);
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
      let touched = this.builder.changed(paths);
      const root = this.builder.workspace.root;
      if ([...paths].some((path) => path !== '' && !existsSync(join(root, path))) && (this.options.deleteGraceMs ?? 40) > 0) {
        // An atomic save removes or renames the old file before the new one lands: wait for it.
        await sleep(this.options.deleteGraceMs ?? 40);
        const more = this.batcher.take();
        if (more) {
          for (const path of more.paths) paths.add(path);
          savedAt = Math.min(savedAt, more.firstAt);
          touched += this.builder.changed(more.paths);
        }
      }
      // Nothing read those paths: no build, unless something is failing (any edit may fix it).
      if (!this.forceNext && touched === 0 && this.failing.size === 0 && this.workspaceError === undefined) return;
    }
    await this.build([...paths].sort(), savedAt);
  }

  private async build(files: string[], savedAt: number): Promise<void> {
    const build = ++this.builds;
    const startedAt = now();
    this.forceNext = false;
    this.options.send({ type: 'build-started', build, files: files.slice(0, 100), savedAt });
    let summary: BuildResult | undefined;
    try {
      // No build record: a watch session keeps every request it verified in memory, so each
      // save costs what it touched; a recorded first build would leave the graph unloaded.
      // The state save waits until clients have heard what changed.
      // Each rebuilt target is announced as soon as its kiln-out is written (before the bundles
      // holding it re-cook); the report afterwards skips what was announced.
      const onTargetReady = (target: TargetReport, graph: TargetGraph) => {
        this.reported.set(target.label, target);
        this.announce(target, graph, build, savedAt);
      };
      summary = await this.builder.build({ patterns: this.patterns, keepGoing: true, record: false, deferSave: true, onTargetReady });
    } catch (error) {
      // The graph could not be built (a requested package vanished or is broken, a cycle…).
      const message = this.errorOf(this.patterns.join(' '), error, build);
      if (this.workspaceError?.message !== message.message) this.options.send(message);
      this.workspaceError = message;
      this.forceNext = true;
    }
    const builtAt = now();
    if (summary) {
      if (this.workspaceError) {
        if (this.workspaceError.label !== 'assets.yaml') this.options.send({ type: 'recovered', build, label: this.workspaceError.label, assetId: '' });
        this.workspaceError = undefined;
      }
      this.report(summary, build, savedAt);
    }
    const finishedAt = now();
    // A delta lists every target that ran; the full list is built only when there is none.
    const looked = summary ? (summary.delta?.targets ?? summary.targets) : [];
    const timings: BuildTimings = {
      queueMs: round(startedAt - savedAt),
      buildMs: round(builtAt - startedAt),
      cookMs: round(looked.filter((t) => t.status === 'executed').reduce((n, t) => n + t.durationMs, 0)),
      notifyMs: round(finishedAt - builtAt),
      totalMs: round(finishedAt - savedAt),
    };
    this.options.send({ type: 'build-finished', build, ok: summary !== undefined && summary.failed === 0, executed: summary?.executed ?? 0, cached: summary?.cached ?? 0, failed: summary?.failed ?? 0, timings });
    if (summary) this.options.log?.(`build ${build}: ${summary.executed} cooked, ${summary.cached} cached, ${summary.failed} failed in ${timings.buildMs} ms (${timings.totalMs} ms since save)`);
    // Bookkeeping after the messages: cache commit, request graph save. A failed save loses no
    // output (the next build verifies what it finds stored), so the session goes on.
    if (summary) {
      try {
        for (const warning of await this.builder.saveState()) this.options.log?.(`watch: ${warning}`);
      } catch (error) {
        this.options.log?.(`watch: could not save the build state: ${(error as Error).message}`);
      }
    }
  }

  /**
   * Compares the build's results with `current` and sends what clients must know. When the
   * builder hands a delta relative to the last build reported here, only its targets are looked
   * at (a save in a 100,000-target session looks at two); otherwise every target.
   */
  private report(summary: BuildResult, build: number, savedAt: number): void {
    const { graph } = summary;
    // Files changed while this build ran: its failures may be a half-written save.
    const stale = this.batcher.pending;
    const delta = summary.delta;
    const incremental = delta?.targets !== undefined && delta.since !== undefined && delta.since === this.reportedBuild;
    const reported = this.reported;
    if (!incremental) this.reported = new Map();
    for (const target of incremental ? delta.targets! : summary.targets) {
      const { label } = target;
      const same = reported.get(label) === target;
      this.reported.set(label, target);
      // The builder hands back the very report object of a target nothing touched: skip it
      // without asking for its outputs (a 10,000-target session stays O(changed) here).
      if (same && this.current.has(label) && !this.failing.has(label)) continue;
      if (target.status === 'executed' || target.status === 'cached') {
        this.announce(target, graph, build, savedAt);
      } else if (target.status === 'failed') {
        if (stale) {
          this.forceNext = true;
          continue;
        }
        this.fail(target, build, savedAt);
      }
    }
    this.reportedBuild = delta?.seq;
    if (stale) return;
    // The same graph as the last complete removal pass: nothing more can have gone.
    if (incremental && this.removalsFor === graph) return;
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
    this.removalsFor = graph;
  }

  /** A target that built: `changed` when its outputs differ from the current version (and `recovered` if it was failing). */
  private announce(target: TargetReport, graph: TargetGraph, build: number, savedAt: number): void {
    const { label } = target;
    // The builder hands back the same outputs object while a target's action is unchanged:
    // nothing to compare, nothing to send (a 10,000-target watch stays O(changed) here).
    const outputs = this.builder.lastOutputs(label);
    if (outputs !== undefined && outputs === this.seenOutputs.get(label) && this.current.has(label) && !this.failing.has(label)) return;
    if (outputs !== undefined) this.seenOutputs.set(label, outputs);
    const version = this.versions.versionOf(this.builder, graph, label);
    if (!version) return;
    const previous = this.current.get(label);
    if (this.failing.delete(label)) this.options.send({ type: 'recovered', build, label, assetId: version.assetId });
    if (previous && sameOutputs(previous, version)) return;
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
    // An error in the root assets.yaml is about the workspace, not about the watched patterns.
    const about = first?.label ?? (first?.location?.file === 'assets.yaml' ? 'assets.yaml' : label);
    if (first) return { type: 'error', build, label: about, ...errorFields(first), message: (error as Error).message };
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
