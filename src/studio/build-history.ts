/**
 * The last builds, for the studio page: each build's summary (with budgets and metrics) and its
 * Chrome trace as small files under `<cache>/studio/builds/`, newest kept, oldest removed. Files
 * named by a counter-like id the page can only pick from the listing (never a path it sends).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

/** Keep one build: its summary JSON, and the trace the build wrote (a file path) if any. */
export async function recordBuild(cacheDir: string, summary: object | Uint8Array, traceJson?: string): Promise<string> {
  const dir = historyDir(cacheDir);
  mkdirSync(dir, { recursive: true });
  const id = `${Date.now()}-${String((process.pid * 16 + sequence++) % 10_000).padStart(4, '0')}`;
  if (traceJson !== undefined) await atomicWrite(join(dir, `${id}.trace.json`), traceJson);
  // Bytes: the summary as the build already rendered it (a no-op's or partial build's, spliced from its record).
  await atomicWrite(join(dir, `${id}.summary.json`), summary instanceof Uint8Array ? summary : JSON.stringify(summary));
  removeAbandonedTraces(dir);
  const old = listBuilds(cacheDir).slice(KEPT_BUILDS);
  for (const entry of old) {
    rmSync(join(dir, `${entry.id}.summary.json`), { force: true });
    rmSync(join(dir, `${entry.id}.trace.json`), { force: true });
  }
  return id;
}

/** Traces of builds that were killed before they could be kept (`pending-<pid>.trace.json`). */
function removeAbandonedTraces(dir: string): void {
  const cutoff = Date.now() - ABANDONED_AFTER_MS;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('pending-')) continue;
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
