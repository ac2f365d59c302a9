import * as fs from 'node:fs';

/**
 * The part of a stat a leaf signature (leaf-sig.ts) is made of, read as cheaply as Node allows.
 * Why: a no-op build is one stat per leaf (~20,000 at 10k assets, ~200,000 at 100k), and in
 * Node 20 each `fs.statSync` also builds a `Stats` object with four `Date`s — about as much CPU
 * as the system call itself, plus the garbage. The numbers come straight from the array the
 * `fs` binding fills (the one `fs.statSync` reads them from); the object returned is reused by
 * every call, so the scan allocates nothing per leaf.
 *
 * That binding is Node's internal interface, so it is only used after it proved itself in this
 * process: `fs.statSync` must still be the known thin wrapper around it (its source is part of
 * the running Node), and the binding must give exactly what `fs.statSync` gives for a file and a
 * folder that exist and say "absent" for one that does not. Otherwise (another Node, the
 * permission model, `--pending-deprecation`, which would print a warning) every call is a
 * plain `fs.statSync`, with the same results.
 */
export interface LeafStat {
  kind: 'file' | 'folder' | 'other';
  size: number;
  /** As `fs.Stats#mtimeMs`: `sec * 1e3 + nsec / 1e6` in doubles. */
  mtimeMs: number;
  ino: number;
}

type RawStat = (path: string, bigint: false, request: undefined, throwIfNoEntry: false) => Float64Array | undefined;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
// Field order of the binding's stat array (src/node_file.h, FillStatsArray).
const MODE = 1;
const INO = 7;
const SIZE = 8;
const MTIME_SEC = 12;
const MTIME_NSEC = 13;

const out: LeafStat = { kind: 'other', size: 0, mtimeMs: 0, ino: 0 };

let raw: RawStat | null | undefined;

/**
 * The stat of `abs` (the returned object is overwritten by the next call), or undefined when
 * nothing is there (ENOENT, or ENOTDIR: a folder on the way is a file now). Other errors throw.
 */
export function statLeaf(abs: string): LeafStat | undefined {
  if (raw === undefined) raw = provenRawStat();
  if (raw === null || abs.includes('\0')) return viaStatSync(abs);
  let values: Float64Array | undefined;
  try {
    values = raw(abs, false, undefined, false);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
  if (values === undefined) return undefined;
  const type = values[MODE]! & S_IFMT;
  out.kind = type === S_IFREG ? 'file' : type === S_IFDIR ? 'folder' : 'other';
  out.size = values[SIZE]!;
  out.mtimeMs = values[MTIME_SEC]! * 1e3 + values[MTIME_NSEC]! / 1e6;
  out.ino = values[INO]!;
  return out;
}

function viaStatSync(abs: string): LeafStat | undefined {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
  if (!stat) return undefined;
  out.kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : 'other';
  out.size = stat.size;
  out.mtimeMs = stat.mtimeMs;
  out.ino = stat.ino;
  return out;
}

/** The binding's stat when it is exactly what `fs.statSync` reads, else null. */
function provenRawStat(): RawStat | null {
  try {
    const pending = process.execArgv.includes('--pending-deprecation') || /--pending-deprecation/.test(process.env.NODE_OPTIONS ?? '') || process.env.NODE_PENDING_DEPRECATION === '1';
    if (pending || process.permission !== undefined) return null;
    const source = fs.statSync.toString().replace(/\s+/g, '');
    if (!source.includes('conststats=binding.stat(pathModule.toNamespacedPath(path),options.bigint,undefined,options.throwIfNoEntry,);') || !source.includes('returngetStatsFromBinding(stats);')) return null;
    const binding = (process as unknown as { binding(name: string): { stat?: unknown } }).binding('fs');
    if (typeof binding.stat !== 'function') return null;
    const stat = binding.stat.bind(binding) as RawStat;
    const agrees = (path: string): boolean => {
      const values = stat(path, false, undefined, false);
      const expected = fs.statSync(path);
      return values instanceof Float64Array && values.length >= 14 && values[MODE] === expected.mode && values[INO] === expected.ino && values[SIZE] === expected.size && values[MTIME_SEC]! * 1e3 + values[MTIME_NSEC]! / 1e6 === expected.mtimeMs;
    };
    const missing = `${process.execPath}.kiln-absent-${process.pid}`;
    if (!agrees(process.execPath) || !agrees(process.cwd()) || fs.existsSync(missing) || stat(missing, false, undefined, false) !== undefined) return null;
    return stat;
  } catch {
    return null;
  }
}
