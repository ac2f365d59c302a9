import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetGraph } from '../graph/target-graph.js';
import type { StatCache } from '../hash/stat-cache.js';
import type { Workspace } from '../workspace/workspace.js';
import type { BuildSummary, TargetReport } from './build-result.js';
import type { BuildState } from './build-state.js';
import { writeUpToDateSnapshot } from './write-up-to-date-snapshot.js';

export interface FinishedBuild {
  workspace: Workspace;
  state: BuildState;
  statCache: StatCache;
  summary: BuildSummary;
  graph: TargetGraph;
  /** kiln-out paths (outDir-relative) this build wrote or confirmed. */
  materialized: string[];
}

/**
 * After a clean build, list what it depended on for the up-to-date shortcut; after anything else
 * remove the snapshot, so it can never vouch for a build that did not succeed.
 */
export async function recordUpToDate(path: string, clean: boolean, build: FinishedBuild): Promise<void> {
  if (!clean) return discard(path);
  const { workspace, state, statCache, summary, graph, materialized } = build;
  const { root, packagesDir, cacheDir, outDir } = workspace.config;
  const files = [join(root, 'assets.yaml')];
  const absent: string[] = [];
  const packages = new Set<string>();
  // Vouch only for what the build really used: a file edited after it was read (same size, new
  // mtime) must not be recorded with its new stat next to outputs made from its old content.
  const usedNow = (file: string, used: string | undefined) => used !== undefined && statCache.lookup(join(root, file)) === used;
  for (const label of graph.labels) {
    const decl = graph.target(label);
    const target = state.targets.get(label);
    packages.add(decl.pkg);
    for (const src of decl.srcs) {
      if (!usedNow(src, target?.inputs.srcs?.[src])) return discard(path);
      files.push(join(root, src));
    }
    for (const [file, digest] of Object.entries(target?.discovered ?? {})) {
      if (digest === 'absent') absent.push(join(root, file));
      else if (!usedNow(file, digest)) return discard(path);
      else files.push(join(root, file));
    }
  }
  for (const rel of materialized) {
    const written = state.materialized.get(rel);
    const now = statSync(join(outDir, rel), { throwIfNoEntry: false });
    if (!written || !now || now.size !== written.size || now.mtimeMs !== written.mtimeMs) return discard(path);
  }
  for (const pkg of packages) files.push(join(root, workspace.packageFile(pkg)));
  const replay = summary.targets.map((t): TargetReport => ({ ...t, status: 'cached', durationMs: 0, reasons: undefined }));
  const { durationMs: _duration, graph: _graph, ...rest } = summary as BuildSummary & { graph?: TargetGraph };
  await writeUpToDateSnapshot({
    path,
    root,
    files,
    written: materialized.map((rel) => join(outDir, rel)),
    absent,
    roots: [packagesDir],
    skip: [cacheDir, outDir],
    summary: { ...rest, executed: 0, cached: replay.length, filesHashed: 0, targets: replay, remote: undefined },
  });
}

function discard(path: string): void {
  rmSync(path, { force: true });
}
