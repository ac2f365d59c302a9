import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetReport } from '../build-result.js';
import type { LeafSig } from './leaf-sig.js';
import type { RecordCheck } from './record-leaves.js';

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
 *
 * This file holds the record's shapes, key and paths; record-read.ts reads and checks it,
 * record-write.ts writes it.
 */

export const FORMAT = 'kiln-build-record';
export const VERSION = 2;

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

/**
 * The record's name for a request: FNV-1a 128 of its parts (32 hex digits). Not a cryptographic
 * hash, and it need not be one: it tells apart the requests of one workspace's own users, as
 * ninja's 64-bit hash of each command does; it spares the no-op loading node:crypto (~4-7 ms).
 */
export function recordKey(parts: RecordKeyParts): string {
  // The Node version stands for `node:` tool identities (zlib's version comes with Node).
  const text = JSON.stringify([VERSION, process.version, parts.toolchain, [...parts.patterns], parts.platform, parts.materialize, parts.keepGoing]);
  let hash = FNV128_OFFSET;
  for (const byte of new TextEncoder().encode(text)) hash = ((hash ^ BigInt(byte)) * FNV128_PRIME) & MASK128;
  return hash.toString(16).padStart(32, '0');
}

const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

export function recordPath(stateDir: string, key: string): string {
  return join(stateDir, 'builds', `${key}.json`);
}

/** The record's identity as the full record has it, then which base and what changed since. */
export interface RecordHead extends Pick<BuildRecord, 'format' | 'version' | 'key' | 'root' | 'stateDir' | 'outDir' | 'platform'> {
  /** The base's generation: `<key>.<base>.base`. */
  base: string;
  targets: number;
  /** Entries of targets rebuilt since the base: [index, entry]. */
  delta: [number, RecordedTarget][];
  extra?: unknown;
}

export interface BaseHeader {
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

/** The kiln-out files of a record's requested targets, in materialization order. */
export function materializedOf(record: BuildRecord): string[] {
  return record.requestedOrder.flatMap((i) => record.targets[i]!.outs.map(([path]) => path));
}

export function removeRecord(stateDir: string, key: string): void {
  rmSync(recordPath(stateDir, key), { force: true });
}

/** Targets that must be built again: those whose inputs changed and, transitively, their dependents. */
export function dirtyTargets(deps: readonly (readonly number[])[], check: RecordCheck): Set<number> {
  const count = deps.length;
  // The reverse edges as one flat array with an offset per target, not an array per target in a
  // Map: at 10k targets that was ~10,000 small arrays to allocate on every one-file change.
  const starts = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const targetDeps = deps[i]!;
    for (let j = 0; j < targetDeps.length; j++) starts[targetDeps[j]! + 1]!++;
  }
  for (let i = 0; i < count; i++) starts[i + 1]! += starts[i]!;
  const next = starts.slice(0, count);
  const dependents = new Int32Array(starts[count]!);
  for (let i = 0; i < count; i++) {
    const targetDeps = deps[i]!;
    for (let j = 0; j < targetDeps.length; j++) dependents[next[targetDeps[j]!]!++] = i;
  }
  const dirty = new Set<number>();
  const stack = [...check.inputs];
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (dirty.has(index)) continue;
    dirty.add(index);
    for (let k = starts[index]!; k < starts[index + 1]!; k++) stack.push(dependents[k]!);
  }
  for (const index of check.outs) dirty.add(index);
  return dirty;
}
