import { close, closeSync, fstatSync, openSync, read, readSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetReport } from '../build-result.js';
import { FORMAT, recordPath, VERSION, type BaseHeader, type BuildRecord, type LeafSig, type RecordDetail, type RecordedTarget, type RecordHead, type RecordView } from './build-record.js';
import { decodeLeaves, inside, scanLeaves, type LeafScan } from './record-leaves.js';

/**
 * Reading a build record (build-record.ts): the head and the leaf table first (what a no-op
 * needs), the other sections of the base only when asked for. Everything is outside data:
 * sizes are checked before anything is allocated, shapes and indexes before anything is used.
 */

/** A base above this size is not read (about 700 bytes a target: 1 GiB is ~1.5 million targets). */
const MAX_BASE_BYTES = 1 << 30;
/** A head above this size is not read (the delta is compacted long before). */
const MAX_HEAD_BYTES = 64 << 20;
/** The header line of a base is at most this long. */
const MAX_HEADER_BYTES = 4096;

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

/**
 * One section of the base, read on libuv's thread pool while the caller goes on (a partial build
 * cooks meanwhile: at 10k targets the reports are ~5 MB, 3–6 ms to read into fresh memory). The
 * file is opened now, so a concurrent build sweeping this base later cannot take it away (bases
 * are never rewritten, only removed). Resolves to undefined when it cannot be read whole; never rejects.
 */
export function readSectionInBackground(view: RecordView, section: keyof RecordView['sections']): Promise<Buffer | undefined> {
  const [start, end] = view.sections[section];
  let fd: number;
  try {
    fd = openSync(view.basePath, 'r');
  } catch {
    return Promise.resolve(undefined);
  }
  const bytes = Buffer.allocUnsafe(end - start);
  return new Promise((resolve) => {
    const done = (result: Buffer | undefined) => close(fd, () => resolve(result));
    const next = (at: number): void => {
      if (at === bytes.length) return done(bytes);
      read(fd, bytes, at, bytes.length - at, start + at, (error, n) => (error || n === 0 ? done(undefined) : next(at + n)));
    };
    next(0);
  });
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
    if (typeof labels[i] !== 'string' || typeof requested[i] !== 'boolean' || !Array.isArray(d)) return undefined;
    // A plain loop: ~100 deps per bundle target, 100,000 targets at the large size.
    for (let j = 0; j < d.length; j++) {
      const x = d[j];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= count) return undefined;
    }
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
