import type { BuildReporter, BuildSummary, TargetReport } from './build-result.js';
import type { BuildRecord, RecordedTarget } from './tracker/build-record.js';
import { foldersBelow } from './tracker/folders-below.js';
import { fileSig, sigOfStat, type LeafSig } from './tracker/leaf-sig.js';
import type { ReadSet } from './tracker/request-tracker.js';

/**
 * Turning builds into build records and back (the format is tracker/build-record.ts): the summary
 * a record answers with when nothing changed, and the record a full or partial build leaves.
 */

/** A report as the next build gives it when the target is up to date. */
export function cachedReport(report: TargetReport): TargetReport {
  const { reasons: _reasons, ranIn: _ranIn, stack: _stack, ...rest } = report;
  return { ...rest, status: 'cached', durationMs: 0 };
}

/** The summary of a build whose every leaf is as recorded: everything cached, nothing loaded. */
export function replayRecord(record: BuildRecord, reporter: BuildReporter, started: number): BuildSummary {
  reporter.started(record.targets.length);
  const targets = record.targets.map((t) => t.report);
  for (const report of targets) reporter.actionFinished(report);
  const summary = summaryOf(record, targets, 0, started);
  reporter.finished(summary);
  return summary;
}

export function summaryOf(record: BuildRecord, targets: TargetReport[], filesHashed: number, started: number): BuildSummary {
  const count = (status: TargetReport['status']) => targets.filter((t) => t.status === status).length;
  return {
    platform: record.platform,
    executed: count('executed'),
    cached: count('cached'),
    failed: count('failed'),
    skipped: count('skipped'),
    durationMs: Math.round(performance.now() - started),
    filesHashed,
    warnings: targets.reduce((n, t) => n + t.diagnostics.filter((d) => d.severity === 'warning').length, 0),
    targets,
    materialized: record.requestedOrder.flatMap((index) => record.targets[index]!.outs.map(([path]) => path)),
  };
}

/** What one target of a finished build contributes to a record, read from the tracker. */
export interface TargetFacts {
  label: string;
  deps: string[];
  requested: boolean;
  /** Its action's (and materialization's) read set; undefined: not known completely. */
  reads: ReadSet | undefined;
  /** Its kiln-out files: path → size and mtime as materialization wrote them. */
  outs: [string, number, number][];
  report: TargetReport | undefined;
}

/** A file request's value as a leaf signature (its stat, or `racy` when it kept none). */
function sigOfValue(value: unknown): LeafSig {
  const v = value as { digest?: string; stat?: [number, string, number] } | undefined;
  if (v?.stat) return sigOfStat(v.stat[0], v.stat[1], v.stat[2]);
  return v?.digest === 'absent' ? 'absent' : 'racy';
}

export interface RecordContext {
  key: string;
  root: string;
  stateDir: string;
  outDir: string;
  platform: string;
  /** Folders package lists and globs never look into (the cache and kiln-out). */
  skip: ReadonlySet<string>;
  /** Wall-clock ms when the build began: leaves modified since are `racy`. */
  since: number;
}

/**
 * The record of a full build, or undefined when something it needs is not known (a read set
 * incomplete, a report missing, a failure).
 */
export function recordOfBuild(ctx: RecordContext, graphReads: ReadSet, targets: readonly TargetFacts[], requested: readonly string[], extra: unknown, tools: [string, LeafSig][]): BuildRecord | undefined {
  const globalFiles = new Map<string, LeafSig>();
  for (const [path, value] of graphReads.files) globalFiles.set(path, sigOfValue(value));
  const trees = new Set(graphReads.trees);
  const index = new Map(targets.map((t, i) => [t.label, i]));
  const recorded: RecordedTarget[] = [];
  for (const t of targets) {
    const entry = targetEntry(t, index, globalFiles, trees);
    if (!entry) return undefined;
    recorded.push(entry);
  }
  const global: [string, LeafSig][] = [...globalFiles];
  for (const tree of trees) for (const dir of foldersBelow(ctx.root, tree, ctx.skip)) global.push([dir, fileSig(`${ctx.root}/${dir}`, true, ctx.since)]);
  const requestedOrder = requested.map((label) => index.get(label)).filter((i): i is number => i !== undefined);
  return { format: 'kiln-build-record', version: 2, key: ctx.key, root: ctx.root, stateDir: ctx.stateDir, outDir: ctx.outDir, platform: ctx.platform, global, tools, targets: recorded, requestedOrder, ...(extra !== undefined ? { extra } : {}) };
}

/**
 * The entries a partial build changes (index → entry), to be written as the record's delta.
 * Undefined when a rebuilt target is not known completely, it read a new global leaf, or a
 * global leaf moved meanwhile (the next build then takes the full path).
 */
export function rebuiltEntries(ctx: RecordContext, global: readonly [string, LeafSig][], labels: readonly string[], deps: readonly (readonly number[])[], indexOf: ReadonlyMap<string, number>, rebuilt: readonly TargetFacts[]): Map<number, RecordedTarget> | undefined {
  const globalFiles = new Map(global.filter(([, sig]) => !sig.startsWith('d:')));
  const fileCount = globalFiles.size;
  const oldDirs = new Set(global.filter(([, sig]) => sig.startsWith('d:')).map(([path]) => path));
  const trees = new Set<string>();
  const changes = new Map<number, RecordedTarget>();
  for (const t of rebuilt) {
    const at = indexOf.get(t.label);
    if (at === undefined) return undefined;
    // The recorded deps (this build saw no assets.yaml change): looked up by label, so only theirs are mapped.
    const index = new Map(deps[at]!.map((d) => [labels[d]!, d]));
    const entry = targetEntry({ ...t, deps: [...index.keys()] }, index, globalFiles, trees);
    if (!entry || [...trees].some((tree) => !oldDirs.has(tree)) || globalFiles.size !== fileCount) return undefined;
    changes.set(at, entry);
  }
  for (const [path, sig] of global) if (fileSig(`${ctx.root}/${path}`, sig.startsWith('d:'), ctx.since) !== sig) return undefined;
  return changes;
}

function targetEntry(t: TargetFacts, index: ReadonlyMap<string, number>, globalFiles: Map<string, LeafSig>, trees: Set<string>): RecordedTarget | undefined {
  if (!t.reads || !t.report || t.report.status === 'failed' || t.report.status === 'skipped') return undefined;
  const files: [string, LeafSig][] = [];
  for (const [path, value] of t.reads.files) {
    // An assets.yaml read through the target's declaration is the graph's too: global.
    if (path === 'assets.yaml' || path.endsWith('/assets.yaml')) {
      if (!globalFiles.has(path)) globalFiles.set(path, sigOfValue(value));
      continue;
    }
    if (!globalFiles.has(path)) files.push([path, sigOfValue(value)]);
  }
  for (const tree of t.reads.trees) trees.add(tree);
  const deps: number[] = [];
  for (const dep of t.deps) {
    const i = index.get(dep);
    if (i === undefined) return undefined;
    deps.push(i);
  }
  return { label: t.label, deps, files, outs: t.outs, requested: t.requested, report: cachedReport(t.report) };
}
