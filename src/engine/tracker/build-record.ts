import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetReport } from '../build-result.js';

/**
 * The read set of one build request, persisted by the tracker at the end of a successful build:
 * every leaf the build relied on (sources, discovered inputs, assets.yaml files, folders where
 * globs and package lists looked, kiln-out files) with the stat it had, and what is needed to
 * report the result without loading a single request node. A fresh build stats the leaves:
 * nothing changed → the recorded result; some source changed → exactly the targets that read it
 * and their dependents are built (the reverse edges are in the record); an assets.yaml or a
 * folder changed → the full path. Why a separate record and not the nodes: a no-op at 10k assets
 * otherwise decodes ~40,000 nodes and re-validates every package.
 *
 * The record is trusted only as far as it checks out: its format, key, root and folders must
 * match, every index must be in range; anything else is "no record" (the full path then runs).
 * Written as a temp file + rename, so a `kill -9` leaves the old record or the new one.
 */

const FORMAT = 'kiln-build-record';
const VERSION = 1;
/** A record above this size is not read (about 550 bytes a target: 1 GiB is ~2 million targets). */
const MAX_RECORD_BYTES = 1 << 30;
/** Records kept per cache: one per request (patterns × platform × flags); the oldest go first. */
const KEPT_RECORDS = 16;
/** A temp file this old belongs to a build that died before its rename. */
const STALE_TEMP_MS = 10 * 60_000;

/** A leaf's stat as recorded: `size:mtimeNs:ino` for files, `d:mtimeNs:ino` for folders, `absent`, or `racy` (never trusted); folders' `absent`/`racy` carry the `d:` too. */
export type LeafSig = string;

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

/**
 * The record for `key`, or undefined when there is none or it does not check out. Without
 * `outDir` the record's own is taken: it was right for the root assets.yaml the record was
 * written with, and that file is one of its leaves.
 */
export function readRecord(stateDir: string, key: string, root: string, outDir?: string): BuildRecord | undefined {
  let record: unknown;
  try {
    const path = recordPath(stateDir, key);
    const size = statSync(path, { throwIfNoEntry: false })?.size;
    if (size === undefined || size > MAX_RECORD_BYTES) return undefined;
    record = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  return wellFormed(record, key, root, stateDir, outDir) ? record : undefined;
}

export function writeRecord(stateDir: string, record: BuildRecord): void {
  const path = recordPath(stateDir, record.key);
  mkdirSync(join(stateDir, 'builds'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record));
  // Fault injection for the crash-safety test: die between the temp write and the rename.
  if (process.env.KILN_FAULT === 'kill-during-record-write') process.kill(process.pid, 'SIGKILL');
  try {
    renameSync(temp, path);
  } catch {
    // The record is an accelerator: a failed rename only means the next build takes the full path.
    rmSync(temp, { force: true });
  }
  sweepRecords(join(stateDir, 'builds'));
}

/** Remove temp files of builds killed mid-write and all but the newest records. */
function sweepRecords(dir: string): void {
  const now = Date.now();
  const records: { path: string; mtimeMs: number }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    if (name.endsWith('.tmp')) {
      if (now - stat.mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
    } else if (name.endsWith('.json')) {
      records.push({ path, mtimeMs: stat.mtimeMs });
    }
  }
  records.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of records.slice(KEPT_RECORDS)) rmSync(old.path, { force: true });
}

export function removeRecord(stateDir: string, key: string): void {
  rmSync(recordPath(stateDir, key), { force: true });
}

/** Which recorded leaves changed since the record was written. */
export interface RecordCheck {
  /** A global leaf changed: the graph may differ, only the full path is correct. */
  structural: boolean;
  /** Indexes of targets whose read files changed. */
  inputs: Set<number>;
  /** Indexes of requested targets whose kiln-out files changed or vanished. */
  outs: Set<number>;
}

export function checkRecord(record: BuildRecord): RecordCheck {
  const result: RecordCheck = { structural: false, inputs: new Set(), outs: new Set() };
  // Paths are joined by hand: they were checked to be plain relative paths when the record was
  // read, and path.join's normalisation is a third of a no-op's CPU at 10k targets.
  const root = `${record.root}/`;
  for (const [path, sig] of record.global) {
    if (fileSig(path === '' ? record.root : root + path, sig.startsWith('d:')) !== sig) {
      result.structural = true;
      return result;
    }
  }
  for (const [path, sig] of record.tools) {
    if (fileSig(path, false) !== sig) {
      result.structural = true;
      return result;
    }
  }
  const outDir = `${record.outDir}/`;
  const targets = record.targets;
  for (let index = 0; index < targets.length; index++) {
    const target = targets[index]!;
    for (const [path, sig] of target.files) {
      if (sig === 'racy' || fileSig(root + path, false) !== sig) {
        result.inputs.add(index);
        break;
      }
    }
    for (const [path, size, mtimeMs] of target.outs) {
      const stat = statSync(outDir + path, { throwIfNoEntry: false });
      if (!stat || stat.size !== size || stat.mtimeMs !== mtimeMs) {
        result.outs.add(index);
        break;
      }
    }
  }
  return result;
}

/** Targets that must be built again: those whose inputs changed and, transitively, their dependents. */
export function dirtyTargets(record: BuildRecord, check: RecordCheck): Set<number> {
  const dependents = new Map<number, number[]>();
  record.targets.forEach((target, index) => {
    for (const dep of target.deps) {
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

/**
 * The stat signature of a file or folder now. `since` (epoch ms): a leaf modified at or after it
 * is `racy` — changed while the build ran, so the record cannot vouch for what the build saw.
 */
export function fileSig(abs: string, folder: boolean, since?: number): LeafSig {
  const stat = statSync(abs, { bigint: true, throwIfNoEntry: false });
  const tag = folder ? 'd:' : '';
  if (!stat || (folder ? !stat.isDirectory() : !stat.isFile())) return `${tag}absent`;
  if (since !== undefined && stat.mtimeNs >= BigInt(Math.floor(since)) * 1_000_000n - RACY_NS) return `${tag}racy`;
  return folder ? `d:${stat.mtimeNs}:${stat.ino}` : `${stat.size}:${stat.mtimeNs}:${stat.ino}`;
}

/** As src/hash/racy-mtime.ts: a clock tick's worth before the build began is not trusted either. */
const RACY_NS = 50_000_000n;

/**
 * Every folder at or below `dir` (workspace-relative) the way package lists and globs walk them:
 * dot-folders, node_modules and kiln's own folders are not looked into.
 */
export function foldersBelow(root: string, dir: string, skip: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    found.push(rel);
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (skip.has(join(root, child))) continue;
      stack.push(child);
    }
  }
  return found;
}

function wellFormed(value: unknown, key: string, root: string, stateDir: string, outDir: string | undefined): value is BuildRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<BuildRecord>;
  if (r.format !== FORMAT || r.version !== VERSION || r.key !== key || r.root !== root || r.stateDir !== stateDir) return false;
  if (typeof r.outDir !== 'string' || (outDir !== undefined && r.outDir !== outDir)) return false;
  if (typeof r.platform !== 'string' || !Array.isArray(r.global) || !Array.isArray(r.targets)) return false;
  if (!r.global.every(isLeaf)) return false;
  if (!Array.isArray(r.tools) || !r.tools.every((t) => Array.isArray(t) && t.length === 2 && typeof t[0] === 'string' && t[0].startsWith('/') && t[0].endsWith('/package.json') && typeof t[1] === 'string')) return false;
  const count = r.targets.length;
  if (!Array.isArray(r.requestedOrder) || !r.requestedOrder.every((i) => Number.isInteger(i) && i >= 0 && i < count)) return false;
  return r.targets.every(
    (t) =>
      typeof t === 'object' &&
      t !== null &&
      typeof t.label === 'string' &&
      typeof t.requested === 'boolean' &&
      Array.isArray(t.deps) &&
      t.deps.every((d) => Number.isInteger(d) && d >= 0 && d < count) &&
      Array.isArray(t.files) &&
      t.files.every(isLeaf) &&
      Array.isArray(t.outs) &&
      t.outs.every((o) => Array.isArray(o) && o.length === 3 && inside(o[0]) && typeof o[1] === 'number' && typeof o[2] === 'number') &&
      isReport(t.report, t.label),
  );
}

function isLeaf(leaf: unknown): leaf is [string, LeafSig] {
  return Array.isArray(leaf) && leaf.length === 2 && inside(leaf[0]) && typeof leaf[1] === 'string';
}

const DOT_DOT = /(^|\/)\.\.(\/|$)/;

/** A relative path that stays inside its folder (a record is outside data). */
function inside(path: unknown): path is string {
  return typeof path === 'string' && !path.startsWith('/') && !path.includes('\0') && !DOT_DOT.test(path);
}

function isReport(report: unknown, label: string): report is TargetReport {
  if (typeof report !== 'object' || report === null) return false;
  const r = report as Partial<TargetReport>;
  return r.label === label && typeof r.rule === 'string' && r.status === 'cached' && Array.isArray(r.outputs) && Array.isArray(r.diagnostics) && typeof r.stats === 'object' && r.stats !== null;
}
