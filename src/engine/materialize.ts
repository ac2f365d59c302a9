import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { digestKey } from '../hash/digest.js';
import type { OutputRecord } from '../rule/output.js';
import { atomicWrite } from '../store/atomic-write.js';
import type { BlobStore } from '../store/blob-store.js';
import { ensureKilnFolder } from '../workspace/kiln-folder-marker.js';
import type { MaterializedFile } from './materialized-file.js';

/**
 * Copy a target's outputs from the CAS to `kiln-out/<package>/<name>`. A file that still has the
 * size and mtime we gave it last time is left alone, so no-op builds write nothing.
 */
export async function materialize(
  outDir: string,
  pkg: string,
  outputs: readonly OutputRecord[],
  blobs: BlobStore,
  written: Map<string, MaterializedFile>,
  /** Bytes already in memory by digest key (just cooked); anything else is read from `blobs`. */
  fresh?: ReadonlyMap<string, Uint8Array>,
): Promise<string[]> {
  const paths: string[] = [];
  // The marker lets `kiln clean` tell this folder from one of the user's.
  if (outputs.length > 0) ensureKilnFolder(outDir, 'out');
  for (const output of outputs) {
    const rel = pkg ? `${pkg}/${output.name}` : output.name;
    const abs = join(outDir, rel);
    paths.push(rel);
    const key = digestKey(output.digest);
    const known = written.get(rel);
    if (known && known.digest === key) {
      const stat = statSync(abs, { throwIfNoEntry: false });
      if (stat && stat.size === known.size && stat.mtimeMs === known.mtimeMs) continue;
    }
    const bytes = fresh?.get(key) ?? (await blobs.get(output.digest));
    if (!bytes) throw new Error(`output ${output.name} (${key}) is missing from the cache (deleted, or found corrupt and removed); build again to re-cook it`);
    await atomicWrite(abs, bytes);
    const stat = statSync(abs);
    written.set(rel, { digest: key, size: stat.size, mtimeMs: stat.mtimeMs });
    removeOrphanTemps(dirname(abs));
  }
  return paths;
}

/** Folders of kiln-out this process has already swept for orphan temp files. */
const swept = new Set<string>();

/**
 * Remove `<name>.tmp-<pid>-<hex>` files that a killed build left in a kiln-out folder (its write
 * never reached the rename). A temp file of a process that is still running is left alone: it
 * may be another build writing right now. Once per folder per process.
 */
function removeOrphanTemps(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /\.tmp-(\d+)-[0-9a-f]+$/.exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove files a target wrote under kiln-out in an earlier build (any platform) that its current
 * outputs no longer include, e.g. a third LOD that the mobile profile does not make.
 */
export function removeStale(outDir: string, previous: readonly string[] | undefined, current: readonly string[]): boolean {
  if (!previous) return false;
  const keep = new Set(current);
  let removed = false;
  for (const rel of previous) {
    if (keep.has(rel) || rel.split('/').includes('..')) continue;
    rmSync(join(outDir, rel), { force: true });
    removed = true;
  }
  return removed;
}
