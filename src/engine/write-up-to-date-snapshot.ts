import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isRacy } from '../hash/racy-mtime.js';
import { atomicWrite } from '../store/atomic-write.js';
import type { BuildSummary } from './build-result.js';
import { SNAPSHOT_VERSION, statTuple, type UpToDateSnapshot } from './up-to-date-snapshot.js';


export interface SnapshotInputs {
  path: string;
  /** Workspace root; every recorded path is stored relative to it. */
  root: string;
  /** Absolute paths of every file the build read. */
  files: Iterable<string>;
  /**
   * Files the build itself just wrote (kiln-out). Their stat is recorded even when brand new:
   * the racy-mtime worry is about someone else editing a file within the same clock tick.
   */
  written: Iterable<string>;
  /** Absolute paths that were looked for and absent. */
  absent: Iterable<string>;
  /** Folders to walk (recursively, skipping dot-folders and `skip`) whose mtimes are recorded. */
  roots: string[];
  skip: string[];
  summary: Omit<BuildSummary, 'durationMs'>;
}

/** Record what a successful build depended on; removes a stale snapshot when it cannot vouch. */
export async function writeUpToDateSnapshot(inputs: SnapshotInputs): Promise<void> {
  const now = Date.now();
  const fresh = (mtimeNs: string) => isRacy(BigInt(mtimeNs), now);
  const files: UpToDateSnapshot['files'] = [];
  const rel = (path: string) => relative(inputs.root, path);
  for (const path of new Set(inputs.files)) {
    const tuple = statTuple(path);
    if (!tuple || fresh(tuple[2])) return discard(inputs.path);
    files.push([rel(path), tuple[1], tuple[2], tuple[3]]);
  }
  for (const path of new Set(inputs.written)) {
    const tuple = statTuple(path);
    if (!tuple) return discard(inputs.path);
    files.push([rel(path), tuple[1], tuple[2], tuple[3]]);
  }
  const dirs: UpToDateSnapshot['dirs'] = [];
  const skip = new Set(inputs.skip);
  const walk = (dir: string): boolean => {
    const stat = statSync(dir, { bigint: true, throwIfNoEntry: false });
    if (!stat) return true;
    if (fresh(stat.mtimeNs.toString())) return false;
    dirs.push([rel(dir), stat.mtimeNs.toString()]);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = join(dir, entry.name);
      if (!skip.has(child) && !walk(child)) return false;
    }
    return true;
  };
  for (const root of inputs.roots) if (!walk(root)) return discard(inputs.path);
  const snapshot: UpToDateSnapshot = {
    version: SNAPSHOT_VERSION,
    root: inputs.root,
    platform: inputs.summary.platform,
    targets: inputs.summary.targets.length,
    files,
    absent: [...new Set(inputs.absent)].map(rel),
    dirs,
  };
  // Summary first: a snapshot is never visible without the summary it replays.
  await atomicWrite(`${inputs.path}.summary.json`, JSON.stringify(inputs.summary));
  await atomicWrite(inputs.path, JSON.stringify(snapshot));
}

function discard(path: string): void {
  rmSync(path, { force: true });
}
