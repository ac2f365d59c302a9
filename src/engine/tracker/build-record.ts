import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetReport } from '../build-result.js';
import type { LeafSig } from './leaf-sig.js';
import { decodeLeaves, encodeLeaves, inside, outsOfTargets, scanLeaves, type LeafScan, type RecordCheck } from './record-leaves.js';
import { renderMaterialized, renderReport } from './rendered-report.js';

export type { LeafSig } from './leaf-sig.js';
export type { RecordCheck } from './record-leaves.js';

/**
 * The read set of one build request, persisted by the tracker at the end of a successful build:
 * every leaf the build relied on (sources, discovered inputs, assets.yaml files, folders where
 * globs and package lists looked, kiln-out files) with the stat it had, and what is needed to
 * report the result without loading a single request node. A fresh build stats the leaves:
 * nothing changed → the recorded result; some source changed → exactly the targets that read it
 * and their dependents are built (the reverse edges are in the record); an assets.yaml or a
 * folder changed → the full path.
 *
 * On disk, per request key, in `.kiln/state/builds/`:
 * - a **base** `<key>.<gen>.base`, written whole by a full build and never changed: a JSON header
 *   line, then four sections — the leaf table (record-leaves.ts: what a no-op stats), the
 *   reports pre-rendered as the summary JSON prints them (rendered-report.ts: what a no-op
 *   writes), the kiln-out file list likewise, and the detail JSON (labels, deps, requested: read
 *   only when something changed);
 * - a **head** `<key>.json`: the request's identity, which base, and the **delta** — the entries
 *   of targets rebuilt since the base. A partial build rewrites only the head (its size follows
 *   the changes, not the workspace); past a bound the next write compacts into a new base.
 * Both are written as a temp file + rename, the base first, so a `kill -9` anywhere leaves the
 * old head (whose base is still there) or the new one.
 *
 * The record is trusted only as far as it checks out: its format, key, root and folders must
 * match, every index must be in range, every path must stay inside its folder, the sections
 * must have the sizes the header says; anything else is "no record" (the full path then runs).
 */

const FORMAT = 'kiln-build-record';
const VERSION = 2;
/** A base above this size is not read (about 700 bytes a target: 1 GiB is ~1.5 million targets). */
const MAX_BASE_BYTES = 1 << 30;
/** A head above this size is not read (the delta is compacted long before). */
const MAX_HEAD_BYTES = 64 << 20;
/** Records kept per cache: one per request (patterns × platform × flags); the oldest go first. */
const KEPT_RECORDS = 16;
/** A temp file or an unreferenced base this old belongs to a build that is over. */
const STALE_MS = 10 * 60_000;
/** The header line of a base is at most this long. */
const MAX_HEADER_BYTES = 4096;

export interface RecordedTarget {
  label: string;
  /** Indexes (into `targets`) of the targets whose outputs this one's key holds. */
  deps: number[];
  /** Workspace-relative files this target's action read, with their stats. */
  files: [string, LeafSig][];
  /** outDir-relative kiln-out files of a requested target: [path, size, mtimeMs]. */
  outs: [string, number, number][];
  /** Whether the build request asked for this target (its kiln-out files are part of the result). */
  requested: boolean;
  report: TargetReport;
}

export interface BuildRecord {
  format: typeof FORMAT;
  version: typeof VERSION;
  key: string;
  root: string;
  /** The state folder it was written to (a record found elsewhere is not this workspace's). */
  stateDir: string;
  outDir: string;
  platform: string;
  /** Leaves whose change can change the target graph itself: assets.yaml files, watched folders. */
  global: [string, LeafSig][];
  targets: RecordedTarget[];
  /** Manifests of the npm packages whose versions are tool identities (absolute paths, statted only). */
  tools: [string, LeafSig][];
  /** Indexes of the requested targets, in the order the build materialized them. */
  requestedOrder: number[];
  /** What the caller derived from the graph and reports (budgets), reused while nothing changed. */
  extra?: unknown;
}

/** What makes two build requests give the same result; one key per combination. */
export interface RecordKeyParts {
  /** The rules in use: their identities (in-process) or the installation that holds them (the CLI). */
  toolchain: string;
  patterns: readonly string[];
  /** The `--platform` asked for ('' for the workspace default, which the root assets.yaml decides). */
  platform: string;
  materialize: boolean;
  keepGoing: boolean;
}

export function recordKey(parts: RecordKeyParts): string {
  // The Node version stands for `node:` tool identities (zlib's version comes with Node).
  const text = JSON.stringify([VERSION, process.version, parts.toolchain, [...parts.patterns], parts.platform, parts.materialize, parts.keepGoing]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function recordPath(stateDir: string, key: string): string {
  return join(stateDir, 'builds', `${key}.json`);
}

interface RecordHead {
  format: typeof FORMAT;
  version: typeof VERSION;
  key: string;
  root: string;
  stateDir: string;
  outDir: string;
  platform: string;
  /** The base's generation: `<key>.<base>.base`. */
  base: string;
  targets: number;
  /** Entries of targets rebuilt since the base: [index, entry]. */
  delta: [number, RecordedTarget][];
  extra?: unknown;
}

interface BaseHeader {
  format: 'kiln-build-record-base';
  key: string;
  gen: string;
  /** Byte lengths of the sections, in file order. */
  leaves: number;
  reports: number;
  materialized: number;
  detail: number;
}

export interface RecordDetail {
  labels: string[];
  deps: number[][];
  requested: boolean[];
  requestedOrder: number[];
}

/**
 * A record as a fresh build first sees it: the head and the leaf table read, the other sections
 * left on disk until asked for (a no-op needs the reports only to copy them out).
 */
export interface RecordView {
  readonly head: Readonly<RecordHead>;
  readonly basePath: string;
  readonly leaves: string;
  /** Absolute file offsets [start, end) of the reports, materialized and detail sections. */
  readonly sections: { reports: [number, number]; materialized: [number, number]; detail: [number, number] };
  readonly delta: ReadonlyMap<number, RecordedTarget>;
}

/**
 * The record for `key`, or undefined when there is none or it does not check out. Without
 * `outDir` the record's own is taken: it was right for the root assets.yaml the record was
 * written with, and that file is one of its leaves.
 */
export function readRecordView(stateDir: string, key: string, root: string, outDir?: string): RecordView | undefined {
  let head: unknown;
  try {
    const path = recordPath(stateDir, key);
    const size = statSync(path, { throwIfNoEntry: false })?.size;
    if (size === undefined || size > MAX_HEAD_BYTES) return undefined;
    head = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (!wellFormedHead(head, key, root, stateDir, outDir)) return undefined;
  const basePath = join(stateDir, 'builds', `${key}.${head.base}.base`);
  let fd: number | undefined;
  try {
    fd = openSync(basePath, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_BASE_BYTES) return undefined;
    const first = Buffer.alloc(Math.min(MAX_HEADER_BYTES, size));
    readSync(fd, first, 0, first.length, 0);
    const newline = first.indexOf(10);
    if (newline < 0) return undefined;
    const header = JSON.parse(first.toString('utf8', 0, newline)) as Partial<BaseHeader>;
    const lengths = [header.leaves, header.reports, header.materialized, header.detail];
    if (header.format !== 'kiln-build-record-base' || header.key !== key || header.gen !== head.base || !lengths.every((n) => Number.isSafeInteger(n) && n! >= 0)) return undefined;
    const [leavesBytes, reportsBytes, materializedBytes, detailBytes] = lengths as number[];
    const start = newline + 1;
    if (start + leavesBytes! + reportsBytes! + materializedBytes! + detailBytes! !== size) return undefined;
    const leaves = Buffer.allocUnsafe(leavesBytes!);
    if (readSync(fd, leaves, 0, leaves.length, start) !== leaves.length) return undefined;
    const reports: [number, number] = [start + leavesBytes!, start + leavesBytes! + reportsBytes!];
    const materialized: [number, number] = [reports[1], reports[1] + materializedBytes!];
    const detail: [number, number] = [materialized[1], materialized[1] + detailBytes!];
    return { head, basePath, leaves: leaves.toString('utf8'), sections: { reports, materialized, detail }, delta: new Map(head.delta) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Stat the view's leaves (record-leaves.ts); undefined when its table is malformed. */
export function scanRecord(view: RecordView): LeafScan | undefined {
  return scanLeaves(view.leaves, view.head.root, view.head.outDir, view.head.targets, view.delta);
}

/** One section of the base as bytes (undefined when the file went away or was cut short). */
export function readSection(view: RecordView, section: keyof RecordView['sections'], from = 0, to?: number): Buffer | undefined {
  const [start, end] = view.sections[section];
  const first = start + from;
  const last = to === undefined ? end : start + to;
  if (first < start || last > end || first > last) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(view.basePath, 'r');
    const bytes = Buffer.allocUnsafe(last - first);
    return readSync(fd, bytes, 0, bytes.length, first) === bytes.length ? bytes : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The whole record as values (what a change needs), or undefined when it does not check out. */
export function loadRecord(view: RecordView): BuildRecord | undefined {
  const leaves = decodeLeaves(view.leaves);
  const reportBytes = readSection(view, 'reports');
  const detailBytes = readSection(view, 'detail');
  if (!leaves || !reportBytes || !detailBytes) return undefined;
  let reports: unknown;
  let detail: Partial<RecordDetail>;
  try {
    reports = JSON.parse(`[${reportBytes.toString('utf8')}]`);
    detail = JSON.parse(detailBytes.toString('utf8')) as Partial<RecordDetail>;
  } catch {
    return undefined;
  }
  const count = view.head.targets;
  if (!Array.isArray(reports) || reports.length !== count || leaves.targets.length !== count) return undefined;
  if (!Array.isArray(detail.labels) || !Array.isArray(detail.deps) || !Array.isArray(detail.requested) || !Array.isArray(detail.requestedOrder)) return undefined;
  if (detail.labels.length !== count || detail.deps.length !== count || detail.requested.length !== count || !detail.requestedOrder.every((i) => index(i, count))) return undefined;
  const targets: RecordedTarget[] = [];
  for (let i = 0; i < count; i++) {
    const newer = view.delta.get(i);
    if (newer) {
      targets.push(newer);
      continue;
    }
    const label = detail.labels[i];
    const deps = detail.deps[i];
    const requested = detail.requested[i];
    if (typeof label !== 'string' || typeof requested !== 'boolean' || !Array.isArray(deps) || !deps.every((d) => index(d, count)) || !isReport(reports[i], label)) return undefined;
    targets.push({ label, deps, files: leaves.targets[i]!.files, outs: leaves.targets[i]!.outs, requested, report: reports[i] });
  }
  const { head } = view;
  return {
    format: FORMAT,
    version: VERSION,
    key: head.key,
    root: head.root,
    stateDir: head.stateDir,
    outDir: head.outDir,
    platform: head.platform,
    global: leaves.global as [string, LeafSig][],
    tools: leaves.tools as [string, LeafSig][],
    targets,
    requestedOrder: detail.requestedOrder,
    ...(head.extra !== undefined ? { extra: head.extra } : {}),
  };
}

/**
 * What a partial build needs to find its dirty targets: labels, deps, which were requested (the
 * delta's entries applied). The reports and per-target leaves stay unread.
 */
export function loadDetail(view: RecordView): RecordDetail | undefined {
  const bytes = readSection(view, 'detail');
  if (!bytes) return undefined;
  let detail: Partial<RecordDetail>;
  try {
    detail = JSON.parse(bytes.toString('utf8')) as Partial<RecordDetail>;
  } catch {
    return undefined;
  }
  const count = view.head.targets;
  const { labels, deps, requested, requestedOrder } = detail;
  if (!Array.isArray(labels) || !Array.isArray(deps) || !Array.isArray(requested) || !Array.isArray(requestedOrder)) return undefined;
  if (labels.length !== count || deps.length !== count || requested.length !== count || !requestedOrder.every((i) => index(i, count))) return undefined;
  for (let i = 0; i < count; i++) {
    const d = deps[i];
    if (typeof labels[i] !== 'string' || typeof requested[i] !== 'boolean' || !Array.isArray(d) || !d.every((x) => index(x, count))) return undefined;
  }
  for (const [i, entry] of view.delta) {
    labels[i] = entry.label;
    deps[i] = entry.deps;
    requested[i] = entry.requested;
  }
  return { labels, deps, requested, requestedOrder };
}

/** Every target's recorded report, in target order (the delta's replacing the base's). */
export function loadReports(view: RecordView, labels: readonly string[]): TargetReport[] | undefined {
  const bytes = readSection(view, 'reports');
  if (!bytes) return undefined;
  let reports: unknown;
  try {
    reports = JSON.parse(`[${bytes.toString('utf8')}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(reports) || reports.length !== view.head.targets) return undefined;
  for (const [i, entry] of view.delta) reports[i] = entry.report;
  return reports.every((r, i) => isReport(r, labels[i]!)) ? (reports as TargetReport[]) : undefined;
}

/** The record of `key` as values, or undefined (readRecordView + loadRecord). */
export function readRecord(stateDir: string, key: string, root: string, outDir?: string): BuildRecord | undefined {
  const view = readRecordView(stateDir, key, root, outDir);
  return view && loadRecord(view);
}

/** Write a whole record: a new base, then the head naming it (delta empty). */
export function writeRecord(stateDir: string, record: BuildRecord): void {
  const dir = join(stateDir, 'builds');
  mkdirSync(dir, { recursive: true });
  const gen = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const base = encodeBase(record, gen);
  if (!base) {
    removeRecord(stateDir, record.key);
    return;
  }
  const path = join(dir, `${record.key}.${gen}.base`);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, base);
  if (renamed(temp, path)) writeHead(dir, headOf(record, gen, []));
}

function writeHead(dir: string, head: RecordHead): void {
  const path = join(dir, `${head.key}.json`);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(head));
  // Fault injection for the crash-safety test: die between the temp write and the rename.
  if (process.env.KILN_FAULT === 'kill-during-record-write') process.kill(process.pid, 'SIGKILL');
  if (renamed(temp, path)) sweepRecords(dir, head.key, head.base);
}

/** Whether a change gives some target other kiln-out file names than the record lists (its base's list then no longer holds). */
export function outsRenamed(view: RecordView, changes: ReadonlyMap<number, RecordedTarget>): boolean {
  const before = outsOfTargets(view.leaves, new Set([...changes.keys()].filter((i) => !view.delta.has(i))));
  return before === undefined || [...changes].some(([i, entry]) => !samePaths(view.delta.get(i)?.outs ?? before.get(i) ?? [], entry.outs));
}

/** The kiln-out files of a record's requested targets, in materialization order. */
export function materializedOf(record: BuildRecord): string[] {
  return record.requestedOrder.flatMap((i) => record.targets[i]!.outs.map(([path]) => path));
}

function samePaths(a: readonly (readonly [string, number, number])[], b: readonly (readonly [string, number, number])[]): boolean {
  return a.length === b.length && a.every(([path], i) => path === b[i]![0]);
}

/**
 * A partial build's write when only the head changes: the view's delta with `changes` applied.
 * Past the delta's bound (or when a rebuilt target's kiln-out file names changed and the base's
 * list no longer holds) the whole record is loaded, changed and written as a new base.
 */
export function writeRecordDelta(stateDir: string, view: RecordView, changes: ReadonlyMap<number, RecordedTarget>, extra: unknown): void {
  const delta = new Map(view.delta);
  for (const [i, entry] of changes) delta.set(i, entry);
  const count = view.head.targets;
  if (delta.size > Math.max(64, count >> 6) || outsRenamed(view, changes)) {
    const record = loadRecord(view);
    if (!record) {
      removeRecord(stateDir, view.head.key);
      return;
    }
    for (const [i, entry] of changes) record.targets[i] = entry;
    if (extra !== undefined) record.extra = extra;
    else delete record.extra;
    writeRecord(stateDir, record);
    return;
  }
  const { key, root, outDir, platform } = view.head;
  const head: RecordHead = { format: FORMAT, version: VERSION, key, root, stateDir: view.head.stateDir, outDir, platform, base: view.head.base, targets: count, delta: [...delta].sort((a, b) => a[0] - b[0]), ...(extra !== undefined ? { extra } : {}) };
  writeHead(join(stateDir, 'builds'), head);
}

function headOf(record: BuildRecord, base: string, delta: [number, RecordedTarget][]): RecordHead {
  const { key, root, stateDir, outDir, platform, extra } = record;
  return { format: FORMAT, version: VERSION, key, root, stateDir, outDir, platform, base, targets: record.targets.length, delta, ...(extra !== undefined ? { extra } : {}) };
}

/** The base file's bytes, or undefined when its leaf table cannot hold a path. */
function encodeBase(record: BuildRecord, gen: string): Buffer | undefined {
  const fragments = record.targets.map((t) => renderReport(t.report));
  const reportEnds: number[] = [];
  let offset = 0;
  for (const [i, fragment] of fragments.entries()) {
    offset += (i > 0 ? 2 : 0) + Buffer.byteLength(fragment);
    reportEnds.push(offset);
  }
  const noted = new Set<number>();
  record.targets.forEach((t, i) => t.report.diagnostics.length > 0 && noted.add(i));
  const leaves = encodeLeaves(record, reportEnds, noted);
  if (leaves === undefined) return undefined;
  const sections = [
    Buffer.from(leaves),
    Buffer.from(fragments.join(',\n')),
    Buffer.from(renderMaterialized(materializedOf(record))),
    Buffer.from(JSON.stringify({ labels: record.targets.map((t) => t.label), deps: record.targets.map((t) => t.deps), requested: record.targets.map((t) => t.requested), requestedOrder: record.requestedOrder } satisfies RecordDetail)),
  ];
  const header: BaseHeader = { format: 'kiln-build-record-base', key: record.key, gen, leaves: sections[0]!.length, reports: sections[1]!.length, materialized: sections[2]!.length, detail: sections[3]!.length };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...sections]);
}

function renamed(temp: string, path: string): boolean {
  try {
    renameSync(temp, path);
    return true;
  } catch {
    // The record is an accelerator: a failed rename only means the next build takes the full path.
    rmSync(temp, { force: true });
    return false;
  }
}

/**
 * Remove temp files of builds killed mid-write, all but the newest records (with their bases),
 * and bases of `key` other than `base` once they are old enough that no build still reads them.
 */
function sweepRecords(dir: string, key: string, base: string): void {
  const now = Date.now();
  const heads: { key: string; mtimeMs: number }[] = [];
  const bases: { path: string; key: string; gen: string; mtimeMs: number }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    const parts = name.split('.');
    if (name.endsWith('.tmp')) {
      if (now - stat.mtimeMs > STALE_MS) rmSync(path, { force: true });
    } else if (parts.length === 2 && parts[1] === 'json') {
      heads.push({ key: parts[0]!, mtimeMs: stat.mtimeMs });
    } else if (parts.length === 3 && parts[2] === 'base') {
      bases.push({ path, key: parts[0]!, gen: parts[1]!, mtimeMs: stat.mtimeMs });
    }
  }
  heads.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const kept = new Set(heads.slice(0, KEPT_RECORDS).map((h) => h.key));
  const dropped = new Set(heads.slice(KEPT_RECORDS).map((h) => h.key));
  for (const old of dropped) rmSync(join(dir, `${old}.json`), { force: true });
  for (const b of bases) {
    // A base younger than that may be a concurrent build's whose head is not renamed yet.
    const old = now - b.mtimeMs > STALE_MS;
    if (dropped.has(b.key) || (old && !kept.has(b.key)) || (old && b.key === key && b.gen !== base)) rmSync(b.path, { force: true });
  }
}

export function removeRecord(stateDir: string, key: string): void {
  rmSync(recordPath(stateDir, key), { force: true });
}

/** Targets that must be built again: those whose inputs changed and, transitively, their dependents. */
export function dirtyTargets(deps: readonly (readonly number[])[], check: RecordCheck): Set<number> {
  const dependents = new Map<number, number[]>();
  deps.forEach((targetDeps, index) => {
    for (const dep of targetDeps) {
      let list = dependents.get(dep);
      if (!list) dependents.set(dep, (list = []));
      list.push(index);
    }
  });
  const dirty = new Set<number>();
  const stack = [...check.inputs];
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (dirty.has(index)) continue;
    dirty.add(index);
    stack.push(...(dependents.get(index) ?? []));
  }
  for (const index of check.outs) dirty.add(index);
  return dirty;
}

function index(value: unknown, count: number): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < count;
}

const GEN = /^[0-9a-z]{1,40}$/;

function wellFormedHead(value: unknown, key: string, root: string, stateDir: string, outDir: string | undefined): value is RecordHead {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Partial<RecordHead>;
  if (h.format !== FORMAT || h.version !== VERSION || h.key !== key || h.root !== root || h.stateDir !== stateDir) return false;
  if (typeof h.outDir !== 'string' || (outDir !== undefined && h.outDir !== outDir)) return false;
  if (typeof h.platform !== 'string' || typeof h.base !== 'string' || !GEN.test(h.base) || !Number.isSafeInteger(h.targets) || h.targets! < 0) return false;
  const count = h.targets!;
  return Array.isArray(h.delta) && h.delta.every((entry) => Array.isArray(entry) && entry.length === 2 && index(entry[0], count) && wellFormedTarget(entry[1], count));
}

function wellFormedTarget(t: unknown, count: number): t is RecordedTarget {
  if (typeof t !== 'object' || t === null) return false;
  const r = t as Partial<RecordedTarget>;
  return (
    typeof r.label === 'string' &&
    typeof r.requested === 'boolean' &&
    Array.isArray(r.deps) &&
    r.deps.every((d) => index(d, count)) &&
    Array.isArray(r.files) &&
    r.files.every((f) => Array.isArray(f) && f.length === 2 && typeof f[0] === 'string' && inside(f[0]) && typeof f[1] === 'string') &&
    Array.isArray(r.outs) &&
    r.outs.every((o) => Array.isArray(o) && o.length === 3 && typeof o[0] === 'string' && inside(o[0]) && typeof o[1] === 'number' && typeof o[2] === 'number') &&
    isReport(r.report, r.label)
  );
}

function isReport(report: unknown, label: string): report is TargetReport {
  if (typeof report !== 'object' || report === null) return false;
  const r = report as Partial<TargetReport>;
  return r.label === label && typeof r.rule === 'string' && r.status === 'cached' && Array.isArray(r.outputs) && Array.isArray(r.diagnostics) && typeof r.stats === 'object' && r.stats !== null;
}
