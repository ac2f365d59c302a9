import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMAT, materializedOf, removeRecord, VERSION, type BaseHeader, type BuildRecord, type RecordDetail, type RecordedTarget, type RecordHead, type RecordView } from './build-record.js';
import { loadRecord } from './record-read.js';
import { encodeLeaves, outsOfTargets } from './record-leaves.js';
import { renderMaterialized, renderReport } from './rendered-report.js';

/**
 * Writing a build record (build-record.ts): a full build writes a new base and a head naming
 * it; a partial build rewrites only the head, its delta holding the rebuilt entries. Each file
 * goes to a temp name first and is renamed, the base before the head, so a `kill -9` anywhere
 * leaves the old head (with its base) or the new one.
 */

/** Records kept per cache: one per request (patterns × platform × flags); the oldest go first. */
const KEPT_RECORDS = 16;
/** A temp file or an unreferenced base this old belongs to a build that is over. */
const STALE_MS = 10 * 60_000;

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
