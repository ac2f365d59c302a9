import { existsSync } from 'node:fs';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ENTRIES_DB } from './lmdb-action-cache.js';
import { BLOBS_DB } from './lmdb-blob-store.js';
import { type LmdbEnvironment, lmdbPathOf, openLmdbEnvironment, readRecord } from './lmdb-environment.js';
import { BLOB_PREFIX, decodeUse, ENTRY_PREFIX, USE_TIMES_DB } from './lmdb-use-times.js';

export interface GcOptions {
  cacheDir: string;
  /** Evict least recently used entries until the cache is at most this many bytes. */
  maxBytes?: number;
  /** Evict entries not used for this long. */
  maxAgeMs?: number;
  /**
   * Never evict entries used more recently than this: a build running beside the GC may have just
   * written a blob it has not yet recorded anywhere.
   */
  graceMs?: number;
  now?: number;
  /**
   * Digest keys and action keys that must stay: what the newest build of each target needs (the
   * engine lists them from its request graph, see engine/protected-keys.ts).
   */
  protect?: ReadonlySet<string>;
}

export interface GcResult {
  /** Records of both tiers: files under cas/ (and a legacy ac/) plus entries and blobs in the store. */
  scannedFiles: number;
  bytesBefore: number;
  bytesAfter: number;
  removedFiles: number;
  protectedFiles: number;
}

interface Entry {
  /** A file's path, or a record's name in the use-time table (`cas/<digest key>`, `ac/<action key>`). */
  id: string;
  inStore: boolean;
  size: number;
  usedMs: number;
  protected: boolean;
  /** A file of an older cache whose record is in the store: never read again. */
  shadowed: boolean;
}

/**
 * Size- and age-bounded LRU eviction over both tiers of the local cache: records of the embedded
 * store (entries, small blobs; ordered by their use times) and files of the CAS folder (large
 * blobs, and what a cache of earlier kiln versions left; ordered by mtime). Whatever the newest
 * build of each target (per platform, as the caller's `protect` lists) needs is never removed, so
 * a GC cannot turn the next no-op build into a rebuild. Eviction re-checks each use time right
 * before removing (inside the delete transaction for records), so what a build beside the GC used
 * since the scan stays.
 */
export async function collectGarbage(options: GcOptions): Promise<GcResult> {
  const now = options.now ?? Date.now();
  const graceMs = options.graceMs ?? 10 * 60 * 1000;
  const keep = options.protect ?? new Set<string>();
  const isProtected = (name: string, usedMs: number) => keep.has(name) || now - usedMs < graceMs;
  const entries: Entry[] = [];
  // No store yet (a cache only ever used by older versions): nothing to open, nothing to create.
  const stateDir = join(options.cacheDir, 'state');
  const env = existsSync(lmdbPathOf(stateDir)) ? openLmdbEnvironment(stateDir) : undefined;
  try {
    // A file of an older cache whose record the store now holds is never read again (the store is
    // asked first): it goes whatever its age, protected or not.
    const shadowedBy = env && { cas: env.database(BLOBS_DB), ac: env.database(ENTRIES_DB) };
    for (const area of ['cas', 'ac'] as const) {
      const root = join(options.cacheDir, area);
      for (const shard of await readdir(root).catch(() => [] as string[])) {
        const dir = join(root, shard);
        for (const name of await readdir(dir).catch(() => [] as string[])) {
          const path = join(dir, name);
          const info = await stat(path).catch(() => undefined);
          if (!info?.isFile()) continue;
          if (name.includes('.tmp-')) {
            // Leftover of a killed write; a live writer renames within milliseconds.
            if (now - info.mtimeMs > 60 * 60 * 1000) await rm(path, { force: true });
            continue;
          }
          const shadowed = shadowedBy?.[area].doesExist(name) === true;
          entries.push({ id: path, inStore: false, size: info.size, usedMs: info.mtimeMs, protected: !shadowed && isProtected(name, info.mtimeMs), shadowed });
        }
      }
    }
    if (env) {
      for (const { key, value } of env.database(USE_TIMES_DB).getRange({})) {
        const use = decodeUse(value);
        const name = key.startsWith(BLOB_PREFIX) ? key.slice(BLOB_PREFIX.length) : key.startsWith(ENTRY_PREFIX) ? key.slice(ENTRY_PREFIX.length) : undefined;
        if (!use || name === undefined) continue;
        entries.push({ id: key, inStore: true, size: use.size, usedMs: use.time, protected: isProtected(name, use.time), shadowed: false });
      }
    }
    const bytesBefore = entries.reduce((sum, e) => sum + e.size, 0);
    let bytes = bytesBefore;
    const victims: Entry[] = [];
    const candidates = entries.filter((e) => !e.protected).sort((a, b) => a.usedMs - b.usedMs);
    const left: Entry[] = [];
    for (const entry of candidates) {
      if (entry.shadowed || (options.maxAgeMs !== undefined && now - entry.usedMs > options.maxAgeMs)) victims.push(entry);
      else left.push(entry);
    }
    let planned = bytes - victims.reduce((sum, e) => sum + e.size, 0);
    if (options.maxBytes !== undefined) {
      for (const entry of left) {
        if (planned <= options.maxBytes) break;
        victims.push(entry);
        planned -= entry.size;
      }
    }
    let removed = 0;
    for (const entry of victims) {
      if (entry.inStore) continue;
      // A build beside us may have used the file since the scan (reads, writes and cache hits
      // refresh the mtime): look again right before removing it.
      const info = await stat(entry.id).catch(() => undefined);
      if (info && info.mtimeMs !== entry.usedMs) continue;
      if (info) await rm(entry.id, { force: true });
      bytes -= entry.size;
      removed++;
    }
    await removeEmptyLegacyFolder(join(options.cacheDir, 'ac'));
    if (env) {
      const evicted = evictRecords(env, victims.filter((e) => e.inStore));
      removed += evicted.count;
      bytes -= evicted.bytes;
    }
    return { scannedFiles: entries.length, bytesBefore, bytesAfter: bytes, removedFiles: removed, protectedFiles: entries.filter((e) => e.protected).length };
  } finally {
    env?.release();
  }
}

/** One transaction: a record whose use time changed since the scan (a build used it) stays. */
function evictRecords(env: LmdbEnvironment, victims: readonly Entry[]): { count: number; bytes: number } {
  if (victims.length === 0) return { count: 0, bytes: 0 };
  const uses = env.database(USE_TIMES_DB);
  const blobs = env.database(BLOBS_DB);
  const entries = env.database(ENTRIES_DB);
  let count = 0;
  let bytes = 0;
  env.root.transactionSync(() => {
    for (const victim of victims) {
      if (decodeUse(readRecord(uses, victim.id))?.time !== victim.usedMs) continue;
      const blob = victim.id.startsWith(BLOB_PREFIX);
      const name = victim.id.slice(blob ? BLOB_PREFIX.length : ENTRY_PREFIX.length);
      (blob ? blobs : entries).removeSync(name);
      uses.removeSync(victim.id);
      count++;
      bytes += victim.size;
    }
  });
  return { count, bytes };
}

/**
 * Once gc has emptied the entry folder of an old file-per-entry cache, remove it: while it exists
 * every action-cache miss also looks there.
 */
async function removeEmptyLegacyFolder(root: string): Promise<void> {
  const shards = await readdir(root).catch(() => undefined);
  if (shards === undefined) return;
  // rmdir refuses a folder that is not empty: a shard that still holds entries stays.
  for (const shard of shards) await rmdir(join(root, shard)).catch(() => undefined);
  await rmdir(root).catch(() => undefined);
}
