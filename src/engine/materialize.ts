import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type Diagnostic, DiagnosticError } from '../diagnostic/diagnostic.js';
import { digestKey } from '../hash/digest.js';
import type { OutputRecord } from '../rule/output.js';
import { atomicWrite } from '../store/atomic-write.js';
import type { BlobStore } from '../store/blob-store.js';
import type { MaterializedFile } from './materialized-file.js';

/**
 * Copy a target's outputs from the CAS to `kiln-out/<package>/<name>`. A file that still has the
 * size and mtime we gave it last time is left alone, so no-op builds write nothing.
 *
 * Per target and complete: every output is tried even after one fails, so one pass meets (and,
 * through the store's verified reads, deletes) every bad blob of the target instead of one per
 * build; the failures come back together as one `DiagnosticError` naming the label and each
 * kiln-out file (ENAMETOOLONG, ENOSPC, a blob missing or corrupt). A failed write leaves no temp
 * file behind (`atomicWrite`). The caller fails just this target and goes on with the others.
 */
export async function materialize(
  outDir: string,
  pkg: string,
  outputs: readonly OutputRecord[],
  blobs: BlobStore,
  written: Map<string, MaterializedFile>,
  /** Bytes already in memory by digest key (just cooked); anything else is read from `blobs`. */
  fresh?: ReadonlyMap<string, Uint8Array>,
  /** The target, for its errors. */
  label?: string,
): Promise<string[]> {
  const paths: string[] = [];
  const failures: Diagnostic[] = [];
  const outRoot = relativeOutRoot(outDir);
  for (const output of outputs) {
    const rel = pkg ? `${pkg}/${output.name}` : output.name;
    const abs = join(outDir, rel);
    const fail = (message: string, hints?: string[]) =>
      failures.push({ code: 'materialize-failed', severity: 'error', message, ...(label ? { label } : {}), location: { file: `${outRoot}${rel}` }, ...(hints ? { hints } : {}) });
    const tooLong = rel.split('/').find((segment) => Buffer.byteLength(segment) > MAX_NAME_BYTES);
    if (tooLong !== undefined) {
      fail(`cannot write output ${output.name}: the file name "${tooLong.slice(0, 40)}…" is ${Buffer.byteLength(tooLong)} bytes, over the ${MAX_NAME_BYTES}-byte limit of file systems`, ['shorten the target name']);
      continue;
    }
    paths.push(rel);
    const key = digestKey(output.digest);
    const known = written.get(rel);
    if (known && known.digest === key) {
      const stat = statSync(abs, { throwIfNoEntry: false });
      if (stat && stat.size === known.size && stat.mtimeMs === known.mtimeMs) continue;
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = fresh?.get(key) ?? (await blobs.get(output.digest));
    } catch (error) {
      fail(`cannot read output ${output.name} (${key}) from the cache: ${(error as Error).message}`);
      continue;
    }
    // The store verifies what it reads (a corrupt blob is deleted and reported missing); the size
    // check also covers bytes handed over fresh.
    if (!bytes || bytes.byteLength !== output.digest.size) {
      fail(`output ${output.name} (${key}) is missing from the cache (deleted, or found corrupt and removed); build again to re-cook it`);
      continue;
    }
    try {
      await atomicWrite(abs, bytes);
      const stat = statSync(abs);
      written.set(rel, { digest: key, size: stat.size, mtimeMs: stat.mtimeMs });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      written.delete(rel);
      fail(`cannot write output ${output.name}${code ? ` (${code})` : ''}: ${(error as Error).message}`, code === 'ENOSPC' ? ['free disk space, then build again'] : undefined);
      continue;
    }
    removeOrphanTemps(dirname(abs));
  }
  if (failures.length > 0) throw new DiagnosticError(failures);
  return paths;
}

/** Longest file or folder name (bytes) that ext4, APFS, NTFS and tmpfs all accept. */
const MAX_NAME_BYTES = 255;

/** `kiln-out/` as a workspace-relative prefix for messages (the folder name is enough to find it). */
function relativeOutRoot(outDir: string): string {
  return `${basename(outDir)}/`;
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
