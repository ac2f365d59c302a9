/**
 * The last builds, for the studio page: each build's summary (with budgets and metrics) and its
 * Chrome trace as small files under `<cache>/studio/builds/`, newest kept, oldest removed. Files
 * named by a counter-like id the page can only pick from the listing (never a path it sends).
 */
import { closeSync, constants, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWrite } from '../store/atomic-write.js';

/** How many builds are kept. */
export const KEPT_BUILDS = 20;

/** Files this module reads back are its own, but still bounded: a summary of 10k targets is ~10 MB. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const ID = /^\d{13}-\d{4}$/;

/** A pending trace this old belongs to a build that died (no build takes an hour to reach its trace). */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

export function historyDir(cacheDir: string): string {
  return join(cacheDir, 'studio', 'builds');
}

export interface BuildEntry {
  id: string;
  /** When the build ended, ms since the epoch. */
  at: number;
}

let sequence = 0;

/**
 * Keep one build: its summary JSON (a value, or its text as bytes, whole or in pieces), and the
 * trace the build wrote (a file path) if any.
 */
export async function recordBuild(cacheDir: string, summary: object | Uint8Array | readonly Uint8Array[], traceJson?: string): Promise<string> {
  const dir = historyDir(cacheDir);
  mkdirSync(dir, { recursive: true });
  const id = `${Date.now()}-${String((process.pid * 16 + sequence++) % 10_000).padStart(4, '0')}`;
  // The builds this one pushes out of the history: the oldest one's summary file is reused.
  const old = listBuilds(cacheDir).slice(KEPT_BUILDS - 1);
  if (traceJson !== undefined) await atomicWrite(join(dir, `${id}.trace.json`), traceJson);
  // Bytes: the summary as the build already rendered it (a no-op's or partial build's, spliced from its record).
  const pieces = Array.isArray(summary) ? (summary as readonly Uint8Array[]) : [summary instanceof Uint8Array ? summary : Buffer.from(JSON.stringify(summary))];
  const path = join(dir, `${id}.summary.json`);
  const temp = `${path}.tmp-${process.pid}-${sequence++}`;
  const reused = old.length > 0 && movedAway(join(dir, `${old[old.length - 1]!.id}.summary.json`), temp);
  writeThenRename(temp, reused, path, pieces);
  removeAbandonedTraces(dir);
  for (const entry of old) {
    rmSync(join(dir, `${entry.id}.summary.json`), { force: true });
    rmSync(join(dir, `${entry.id}.trace.json`), { force: true });
  }
  return id;
}

/**
 * Moves the summary file of a build leaving the history to `temp`, to be written over; false
 * when it is gone (another build took it first). Why: at 10k targets a summary is ~5 MB, and a
 * new file costs the filesystem all of its pages again while the old one's are freed
 * (write-summary-file.ts measured 9–14 ms against 2–6 ms written over a file of that size).
 */
function movedAway(oldPath: string, temp: string): boolean {
  try {
    renameSync(oldPath, temp);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fill `temp` (a file no reader names: the reused one, or a new one) with the pieces, over what
 * it held, cut it to their length, then rename it into place: a reader sees no summary or the
 * whole one, as with atomicWrite, and a failed write leaves no temp file.
 */
function writeThenRename(temp: string, reused: boolean, path: string, pieces: readonly Uint8Array[]): void {
  try {
    const fd = openSync(temp, reused ? constants.O_WRONLY : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
    try {
      let at = 0;
      for (const bytes of pieces) {
        for (let done = 0; done < bytes.byteLength; ) done += writeSync(fd, bytes, done, bytes.byteLength - done, at + done);
        at += bytes.byteLength;
      }
      ftruncateSync(fd, at);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Traces of builds that were killed before they could be kept (`pending-<pid>.trace.json`), and
 * the temp files of builds killed while writing their summary.
 */
function removeAbandonedTraces(dir: string): void {
  const cutoff = Date.now() - ABANDONED_AFTER_MS;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('pending-') && !name.includes('.json.tmp-')) continue;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && stat.mtimeMs < cutoff) rmSync(path, { force: true });
  }
}

/** Newest first. */
export function listBuilds(cacheDir: string): BuildEntry[] {
  let names: string[];
  try {
    names = readdirSync(historyDir(cacheDir));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.summary.json'))
    .map((n) => n.slice(0, -'.summary.json'.length))
    .filter((id) => ID.test(id))
    .map((id) => ({ id, at: Number(id.slice(0, 13)) }))
    .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
}

/** One build's summary or trace as JSON text, or undefined (unknown id, missing, too big). */
export function readBuildFile(cacheDir: string, id: string, kind: 'summary' | 'trace'): string | undefined {
  if (!ID.test(id)) return undefined;
  try {
    const bytes = readFileSync(join(historyDir(cacheDir), `${id}.${kind}.json`));
    return bytes.byteLength > MAX_FILE_BYTES ? undefined : bytes.toString('utf8');
  } catch {
    return undefined;
  }
}
