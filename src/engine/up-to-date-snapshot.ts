/**
 * The "nothing changed" shortcut (ninja's no-op, Bazel's skyframe reuse, without a daemon): after a
 * successful build, kiln records the stat of everything that build depended on — the root and
 * package `assets.yaml` files, every source and discovered input (and the discovered inputs that
 * were absent), every folder under the packages folder (a new or removed file changes its folder's
 * mtime, which is how new glob members are noticed) and every file it wrote under kiln-out.
 * The next identical `kiln build` stats those paths before loading the engine; if all match, the
 * build is done. Anything else — including a stat it cannot trust — falls back to the engine.
 * This module imports only Node built-ins: the CLI loads it before anything heavy.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SNAPSHOT_VERSION = 2;

/**
 * Paths are relative to `root` (half the bytes to parse on the hot path). The build summary to
 * replay for `--summary-json` lives beside it in `<snapshot>.summary.json`, read only when asked.
 */
export interface UpToDateSnapshot {
  version: number;
  root: string;
  platform: string;
  targets: number;
  /** [path, size, mtime in ns, inode] of every file the build depended on. */
  files: [string, string, string, string][];
  /** Paths that must still not exist (discovered inputs that were absent). */
  absent: string[];
  /** [path, mtime in ns] of folders whose entries could change the build. */
  dirs: [string, string][];
}

/** The file a request's snapshot lives in: one per workspace, command line and kiln build. */
export function snapshotPath(cacheDir: string, request: { patterns: readonly string[]; platform: string; kiln: string }): string {
  const key = createHash('sha1').update(JSON.stringify([SNAPSHOT_VERSION, request.kiln, request.platform, [...request.patterns]])).digest('hex').slice(0, 24);
  return `${cacheDir}/state/up-to-date-${key}.json`;
}

/** A file's stat tuple, or undefined when it is missing. */
export function statTuple(path: string): [string, string, string, string] | undefined {
  const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!stat) return undefined;
  return [path, stat.size.toString(), stat.mtimeNs.toString(), stat.ino.toString()];
}

/** Whether everything the snapshot recorded is exactly as it was. */
export function isUpToDate(snapshot: UpToDateSnapshot): boolean {
  if (snapshot.version !== SNAPSHOT_VERSION) return false;
  const root = snapshot.root;
  for (const [rel, size, mtimeNs, ino] of snapshot.files) {
    const stat = statSync(join(root, rel), { bigint: true, throwIfNoEntry: false });
    if (!stat || stat.size.toString() !== size || stat.mtimeNs.toString() !== mtimeNs || stat.ino.toString() !== ino) return false;
  }
  for (const [rel, mtimeNs] of snapshot.dirs) {
    const stat = statSync(join(root, rel), { bigint: true, throwIfNoEntry: false });
    if (!stat || stat.mtimeNs.toString() !== mtimeNs) return false;
  }
  for (const rel of snapshot.absent) {
    if (statSync(join(root, rel), { throwIfNoEntry: false })) return false;
  }
  return true;
}

export function readSnapshot(path: string): UpToDateSnapshot | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as UpToDateSnapshot;
  } catch {
    return undefined;
  }
}
