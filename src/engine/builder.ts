import { diagnosticError } from '../diagnostic/diagnostic.js';
import { availableParallelism } from 'node:os';
import { canonicalJson } from '../hash/canonical-json.js';
import { digestKey } from '../hash/digest.js';
import { TargetGraph } from '../graph/target-graph.js';
import type { DepInfo, SourceRef } from '../rule/context.js';
import type { OutputRecord } from '../rule/output.js';
import type { AnyRule } from '../rule/rule.js';
import type { ResultEntry } from '../store/action-entry.js';
import type { CacheStack } from '../store/cache-stack.js';
import { assetIdOf } from '../workspace/label.js';
import { LocatedError, LocatedErrors } from '../workspace/located-error.js';
import { positionIn, type TargetDecl } from '../workspace/target-decl.js';
import type { Workspace } from '../workspace/workspace.js';
import type { ActionContextInit } from './action-context.js';
import { cookChecked, cookInto, unitOf } from './cook-action.js';
import { ActionRunner, type RemoteCook } from './runner/action-runner.js';
import { actionKey, depKeyText } from './runner/action-unit.js';
import { PlatformSettingsCache } from './platform-settings-cache.js';
import { storeActionResult } from './store-action-result.js';
import { analyze } from './analyze.js';
import { type BuildReporter, type BuildSummary, type TargetReport, silentReporter } from './build-result.js';
import { BuildState, type TargetState } from './build-state.js';
import { explainChange } from './explain.js';
import { failureDiagnostics } from './failure-message.js';
import { keyHash, type KeyInputs, resultKey } from './key-inputs.js';
import { materialize, removeStale } from './materialize.js';
import { describeNonFile } from '../workspace/file-kind.js';
import { join } from 'node:path';
import { DiagnosticError } from '../diagnostic/diagnostic.js';
import { runDag } from './run-dag.js';
import { sizeReport } from './size-report.js';
import { SourceDigester } from './source-digester.js';
import { TraceRecorder } from './trace-recorder.js';
import { recordUpToDate } from './record-up-to-date.js';
import { depFingerprint } from './dep-fingerprint.js';

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
  /**
   * Where to record what this build depended on when it succeeds, so an identical command can
   * later skip the engine when nothing changed (see up-to-date-snapshot.ts).
   */
  upToDateSnapshot?: string;
  reporter?: BuildReporter;
  signal?: AbortSignal;
}

export interface BuilderOptions {
  workspace: Workspace;
  cache: CacheStack;
  platform?: string;
  jobs?: number;
  /** Worker threads for JS/wasm rules (default: `jobs`); 0 cooks everything in-process. */
  workers?: number;
  /** Per-action time limit in milliseconds (default: none). */
  actionTimeoutMs?: number;
  /** Heap limit of each worker thread in MB (default: Node's). */
  workerHeapMb?: number;
  /** Cook on a remote cluster (`--remote-executor`), cache lookups still first. */
  remote?: RemoteCook;
}

/** How many bytes of fresh outputs a build keeps in memory for materializing. */
const FRESH_BYTES_LIMIT = 256 * 1024 * 1024;

/** A finished target this build can hand to its dependents. */
interface Built {
  decl: TargetDecl;
  rule: AnyRule;
  outputs: OutputRecord[];
  /** What dependents see of it, and the part of their action key it contributes (computed once). */
  info: DepInfo;
  fingerprint: string[];
  /** Its part of a dependent's action key (runner/action-unit.ts), computed once. */
  keyText: string;
}

/**
 * Builds targets of one workspace for one platform. Long-lived in watch mode: the stat cache,
 * build state and parsed packages stay warm between builds.
 */
export class Builder {
  readonly workspace: Workspace;
  readonly cache: CacheStack;
  readonly platform: string;
  readonly jobs: number;
  readonly digester: SourceDigester;
  readonly runner: ActionRunner;
  readonly workers: number;
  readonly actionTimeoutMs: number;
  private readonly state: BuildState;
  private platformSettings: PlatformSettingsCache;

  constructor(options: BuilderOptions) {
    this.workspace = options.workspace;
    this.cache = options.cache;
    const config = options.workspace.config;
    this.platform = options.platform ?? config.defaultPlatform;
    const known = Object.keys(config.platforms);
    if (known.length > 0 && !known.includes(this.platform)) {
      throw new LocatedError(`unknown platform "${this.platform}"; platforms: ${known.join(', ')}`, { file: 'assets.yaml' }, undefined, 'unknown-platform');
    }
    // The platform name becomes a folder of kiln-out (kiln-out/<platform>/…): one plain path segment.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(this.platform)) {
      throw new LocatedError(`platform name "${this.platform}" cannot be a folder name: use letters, digits, '.', '_' and '-'`, { file: 'assets.yaml' }, undefined, 'bad-config');
    }
    this.jobs = Math.max(1, options.jobs ?? availableParallelism());
    this.platformSettings = new PlatformSettingsCache(config, this.platform);
    this.state = BuildState.load(config.cacheDir, this.platform);
    this.digester = new SourceDigester(config.root, this.state.statEntries);
    this.workers = options.workers ?? this.jobs;
    this.actionTimeoutMs = options.actionTimeoutMs ?? 0;
    this.runner = new ActionRunner({ root: config.root, workers: this.workers, timeoutMs: this.actionTimeoutMs, ...(options.workerHeapMb ? { workerHeapMb: options.workerHeapMb } : {}), ...(options.remote ? { remote: options.remote } : {}) });
  }

  /** Stop the worker pool (idle workers never keep the process alive, and exit after 10 idle minutes). */
  close(): Promise<void> {
    return this.runner.close();
  }

  /** Forget cached platform settings (the root assets.yaml changed). */
  resetSettings(): void {
    this.platformSettings = new PlatformSettingsCache(this.workspace.config, this.platform);
    this.profile = undefined;
  }

  private profile: string | undefined;

  /** Digest of this platform's whole profile (shared `rules:` under its own blocks), for bundle indexes and catalogs. */
  profileDigest(): string {
    const config = this.workspace.config;
    this.profile ??= keyHash(canonicalJson({ rules: config.ruleSettings, platform: config.platforms[this.platform] ?? {} }));
    return this.profile;
  }

  /** The last known outputs of a target on this platform (watch server, `kiln query`). */
  lastOutputs(label: string): readonly OutputRecord[] | undefined {
    return this.state.targets.get(label)?.outputs;
  }

  /**
   * Workspace-relative files the last successful build of a target read: its declared sources
   * and the inputs its rule discovered (watch mode maps a changed file back to targets with it).
   */
  inputsOf(label: string): string[] | undefined {
    const state = this.state.targets.get(label);
    if (!state) return undefined;
    return [...new Set([...Object.keys(state.inputs.srcs ?? {}), ...Object.keys(state.discovered)])].sort();
  }

  async build(request: BuildRequest): Promise<BuildSummary & { graph: TargetGraph }> {
    const started = performance.now();
    const reporter = request.reporter ?? silentReporter;
    const trace = new TraceRecorder();
    const { graph, failures: unanalysable } = analyze(this.workspace, request.patterns, request.keepGoing ?? false);
    const nodes = graph.topologicalOrder();
    const requested = new Set(graph.requested);
    const built = new Map<string, Built>();
    const reports = new Map<string, TargetReport>();
    const hashedBefore = this.digester.statCache.hashed;
    let stateChanged = false;
    reporter.started(nodes.length + unanalysable.length);
    // With keepGoing, what could not be analysed (broken assets.yaml, cycles) fails like a target.
    const notAnalysed = unanalysable.map((f): TargetReport => ({ label: f.label, rule: '', status: 'failed', durationMs: 0, outputs: [], diagnostics: f.diagnostics, stats: {} }));
    for (const report of notAnalysed) reporter.actionFinished(report);

    // Bytes just cooked for requested targets, so kiln-out is written without reading them back
    // from the store; bounded, the rest is read from the store as usual.
    const freshBytes = new Map<string, Uint8Array>();
    let freshTotal = 0;
    const keepFresh = (outputs: ReadonlyMap<string, Uint8Array>): void => {
      for (const [key, bytes] of outputs) {
        if (freshTotal + bytes.byteLength > FRESH_BYTES_LIMIT) return;
        freshBytes.set(key, bytes);
        freshTotal += bytes.byteLength;
      }
    };

    const finish = (report: TargetReport): 'ok' | 'failed' => {
      reports.set(report.label, report);
      reporter.actionFinished(report);
      return report.status === 'failed' ? 'failed' : 'ok';
    };

    const runTarget = async (label: string, slot: number): Promise<'ok' | 'failed'> => {
      const begin = trace.now();
      const decl = graph.target(label);
      reporter.actionStarted(label, decl.rule);
      const base: TargetReport = { label, rule: decl.rule, status: 'failed', durationMs: 0, outputs: [], diagnostics: [], stats: {} };
      try {
        const broken = graph.broken.get(label);
        if (broken) throw new LocatedErrors(broken);
        const rule = this.workspace.rules.get(decl.rule);
        if (!rule) throw new LocatedError(`unknown rule "${decl.rule}"`, positionIn(decl, ['rule']), label, 'unknown-rule');
        const settings = this.platformSettings.for(rule);
        const attrs = { ...rule.defaults, ...decl.packageDefaults, ...decl.attrs, ...(decl.platformAttrs[this.platform] ?? {}) };
        const srcs = this.sources(decl);
        const depLabels = graph.depsOf(label);
        const keyLabels = rule.transitiveDeps ? graph.closure(label).slice(0, -1) : depLabels;
        const depInfo = (dep: string): DepInfo => built.get(dep)!.info;
        const deps = depLabels.map(depInfo);
        const closure = rule.transitiveDeps ? keyLabels.map(depInfo) : deps;
        const inputs: KeyInputs = {
          label,
          rule: `${rule.name}@${rule.version}`,
          priority: decl.priority,
          attrs,
          platform: settings,
          srcs: Object.fromEntries(srcs.map((src) => [src.path, digestKey(src.digest)])),
          deps: Object.fromEntries(keyLabels.map((dep) => [dep, built.get(dep)!.fingerprint])),
          tools: rule.tools ? await rule.tools(attrs, settings, srcs.map((src) => src.path)) : {},
        };
        const init: ActionContextInit = {
          root: this.workspace.root,
          label,
          pkg: decl.pkg,
          pkgDir: [this.workspace.config.packagesPath, decl.pkg].filter(Boolean).join('/'),
          name: decl.name,
          assetId: assetIdOf(label),
          priority: decl.priority,
          attrs,
          platform: { name: this.platform, settings, ...(rule.transitiveDeps ? { profileDigest: this.profileDigest() } : {}) },
          srcs,
          deps,
          closure,
          blobs: this.cache.blobs,
          signal: request.signal ?? new AbortController().signal,
          runner: this.runner,
          tools: inputs.tools,
          onStableRead: (abs, stat, digest) => this.digester.statCache.remember(abs, stat, digest),
        };
        const primary = actionKey(unitOf(rule, init), (dep) => built.get(dep.label)!.keyText);
        const previous = this.state.targets.get(label);
        const validating = request.validateOnly === true && requested.has(label);

        if (!validating) {
          const hit = await this.lookup(primary, previous);
          if (hit && request.checkDeterminism) await cookChecked(this.cache.blobs, rule, init, hit.outputs);
          if (hit) {
            built.set(label, this.built(decl, rule, hit.outputs, graph.depsOf(label)));
            if (hit.state !== previous) {
              this.state.targets.set(label, { ...hit.state, inputs });
              stateChanged = true;
            }
            const end = trace.now();
            trace.span(label, 'cached', slot, begin, end);
            return finish({ ...base, status: 'cached', durationMs: end - begin, outputs: outputSummary(hit.outputs), diagnostics: hit.state.diagnostics, stats: hit.state.stats, size: sizeReport(srcs, hit.outputs, hit.state.stats) });
          }
        }

        // The manifest of the last run with today's digests: what a remote executor would stage.
        if (previous) init.discovered = this.digester.discovered(Object.keys(previous.discovered));
        const reasons = explainChange(previous && { inputs: previous.inputs, discovered: previous.discovered }, inputs, previous && init.discovered);
        const cookStart = performance.now();
        const ctx = request.checkDeterminism && !validating
          ? await cookChecked(this.cache.blobs, rule, init)
          : await cookInto(this.cache.blobs, rule, init, validating);
        const durationMs = performance.now() - cookStart;
        if (!validating) {
          if (ctx.outputs.length === 0) throw diagnosticError('no-output', `rule "${rule.name}" failed: the rule produced no output`);
          const discovered = ctx.discovered;
          const result = resultKey(primary, discovered);
          const entry: ResultEntry = { kind: 'result', outputs: ctx.outputs, diagnostics: ctx.diagnostics, stats: ctx.stats, durationMs: Math.round(durationMs) };
          await storeActionResult(this.cache.actions, primary, result, Object.keys(discovered), entry);
          this.state.targets.set(label, { primary, result, inputs, discovered, outputs: ctx.outputs, diagnostics: ctx.diagnostics, stats: ctx.stats, durationMs: entry.durationMs });
          stateChanged = true;
          built.set(label, this.built(decl, rule, ctx.outputs, graph.depsOf(label)));
          if (requested.has(label)) keepFresh(ctx.outputBytes);
        }
        // Validators write no outputs: report the sizes of the cooked result when the cache has it.
        const sized = validating ? ((await this.lookup(primary, previous))?.outputs ?? []) : ctx.outputs;
        const end = trace.now();
        trace.span(label, 'executed', slot, begin, end, { reasons });
        return finish({ ...base, status: 'executed', durationMs, ranIn: ctx.ranIn, reasons, outputs: outputSummary(ctx.outputs), diagnostics: ctx.diagnostics, stats: ctx.stats, size: sizeReport(srcs, sized, ctx.stats) });
      } catch (error) {
        const { diagnostics, stack } = failureDiagnostics(error, decl);
        const end = trace.now();
        trace.span(label, 'failed', slot, begin, end);
        return finish({ ...base, status: 'failed', durationMs: end - begin, diagnostics, ...(stack ? { stack } : {}) });
      }
    };

    const outcomes = await runDag({
      nodes,
      depsOf: (label) => graph.depsOf(label),
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

    const materialized: string[] = [];
    let ownersChanged = false;
    if (request.materialize !== false && !request.validateOnly) {
      const before = new Map(this.state.materialized);
      for (const label of graph.requested) {
        const target = built.get(label);
        if (!target || outcomes.get(label) !== 'ok') continue;
        // kiln-out/<platform>/<package>/…: building mac after windows must not overwrite windows' bundle.
        const folder = [this.platform, target.decl.pkg].filter(Boolean).join('/');
        let paths: string[];
        try {
          paths = await materialize(this.workspace.config.outDir, folder, target.outputs, this.cache.blobs, this.state.materialized, freshBytes, label);
        } catch (error) {
          // One target's kiln-out files failing (a name too long, a full disk, a bad blob) fails
          // that target only; the rest of kiln-out is still written.
          if (!(error instanceof DiagnosticError)) throw error;
          const report = reports.get(label);
          const failed: TargetReport = { ...(report ?? { label, rule: target.decl.rule, durationMs: 0, outputs: [], stats: {}, diagnostics: [] }), status: 'failed', diagnostics: [...(report?.diagnostics ?? []), ...error.diagnostics], ...(error.stack ? { stack: error.stack } : {}) };
          reports.set(label, failed);
          reporter.actionFinished(failed);
          continue;
        }
        const owner = `${this.platform} ${label}`;
        const previous = this.state.outputOwners.get(owner);
        if (removeStale(this.workspace.config.outDir, previous, paths) || previous?.join('\n') !== paths.join('\n')) {
          this.state.outputOwners.set(owner, paths);
          ownersChanged = true;
        }
        materialized.push(...paths);
      }
      for (const [path, file] of this.state.materialized) if (before.get(path) !== file) stateChanged = true;
    }

    const remoteWarnings = (await this.cache.flush?.()) ?? [];
    for (const warning of remoteWarnings) reporter.warning(warning);
    if (ownersChanged) await this.state.saveOutputOwners();
    await this.workspace.saveCaches();
    this.digester.statCache.settle();
    if (stateChanged || this.digester.statCache.changed) {
      await this.state.save(this.digester.statCache.changed ? this.digester.statCache.toJSON() : undefined);
    }
    const targets = [...notAnalysed, ...nodes.map((label) => reports.get(label)).filter((r): r is TargetReport => r !== undefined)];
    const count = (status: TargetReport['status']) => targets.filter((t) => t.status === status).length;
    const summary: BuildSummary & { graph: TargetGraph } = {
      platform: this.platform,
      executed: count('executed'),
      cached: count('cached'),
      failed: count('failed'),
      skipped: count('skipped'),
      durationMs: Math.round(performance.now() - started),
      filesHashed: this.digester.statCache.hashed - hashedBefore,
      warnings: targets.reduce((n, t) => n + t.diagnostics.filter((d) => d.severity === 'warning').length, 0),
      targets,
      materialized,
      graph,
    };
    if (request.profilePath) await trace.write(request.profilePath, this.jobs);
    if (request.upToDateSnapshot) {
      const clean = summary.failed === 0 && summary.skipped === 0 && !request.validateOnly && !request.checkDeterminism && request.materialize !== false;
      await recordUpToDate(request.upToDateSnapshot, clean, { workspace: this.workspace, state: this.state, statCache: this.digester.statCache, summary, graph, materialized });
    }
    reporter.finished(summary);
    return summary;
  }

  /** Local state first (no I/O beyond stats), then the action cache's two-level lookup. */
  private async lookup(primary: string, previous: TargetState | undefined): Promise<{ outputs: OutputRecord[]; state: TargetState } | undefined> {
    if (previous && previous.primary === primary) {
      const discovered = this.digester.discovered(Object.keys(previous.discovered));
      if (resultKey(primary, discovered) === previous.result && (await this.presentLocally(previous.outputs))) {
        return { outputs: previous.outputs, state: previous };
      }
    }
    const first = await this.cache.actions.get(primary);
    if (!first) return undefined;
    // A rule that discovered nothing has its result stored right under the primary key.
    const discovered = first.kind === 'manifest' ? this.digester.discovered(first.discovered) : {};
    const result = resultKey(primary, discovered);
    const entry = first.kind === 'result' ? first : await this.cache.actions.get(result);
    if (entry?.kind !== 'result' || !(await this.present(entry.outputs))) return undefined;
    const state: TargetState = {
      primary,
      result,
      inputs: previous?.inputs ?? ({} as KeyInputs),
      discovered,
      outputs: entry.outputs,
      diagnostics: entry.diagnostics,
      stats: entry.stats,
      durationMs: entry.durationMs,
    };
    return { outputs: entry.outputs, state };
  }

  /** The no-op fast path: a synchronous stat per output when the store has a local tier. */
  private async presentLocally(outputs: readonly OutputRecord[]): Promise<boolean> {
    const blobs = this.cache.blobs;
    if (!blobs.hasLocal) return this.present(outputs);
    return outputs.every((output) => blobs.hasLocal!(output.digest));
  }

  private async present(outputs: readonly OutputRecord[]): Promise<boolean> {
    const found = await Promise.all(outputs.map((output) => this.cache.blobs.has(output.digest)));
    return found.every(Boolean);
  }

  private sources(decl: TargetDecl): SourceRef[] {
    return decl.srcs.map((path, index) => {
      const digest = this.digester.digest(path);
      if (!digest) {
        const srcIndex = decl.group ? undefined : index;
        // A FIFO, a device or a folder exists but is no source: say what it is, not "not found".
        const kind = describeNonFile(join(this.workspace.root, path));
        if (kind) throw new LocatedError(`source ${path} is ${kind}, not a regular file`, positionIn(decl, srcIndex === undefined ? ['glob'] : ['srcs', srcIndex]), decl.label, 'source-unreadable');
        throw new LocatedError(`source file not found: ${path}`, positionIn(decl, srcIndex === undefined ? ['glob'] : ['srcs', srcIndex]), decl.label, 'source-missing');
      }
      return { path, digest };
    });
  }

  private built(decl: TargetDecl, rule: AnyRule, outputs: OutputRecord[], deps: string[]): Built {
    const info: DepInfo = {
      label: decl.label,
      rule: rule.name,
      type: rule.type,
      assetId: assetIdOf(decl.label),
      priority: decl.priority,
      outputs,
      srcs: decl.srcs,
      deps,
    };
    return { decl, rule, outputs, info, fingerprint: depFingerprint(info), keyText: depKeyText(info) };
  }
}

function outputSummary(outputs: readonly OutputRecord[]): TargetReport['outputs'] {
  return outputs.map((o) => ({ name: o.name, digest: digestKey(o.digest), size: o.digest.size }));
}
