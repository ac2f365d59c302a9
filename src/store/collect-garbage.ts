import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

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
   * File names (digest keys and action keys) that must stay: what the newest build of each
   * target needs (the engine lists them from its request graph, see engine/protected-keys.ts).
   */
  protect?: ReadonlySet<string>;
}

export interface GcResult {
  scannedFiles: number;
  bytesBefore: number;
  bytesAfter: number;
  removedFiles: number;
  protectedFiles: number;
}

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
  protected: boolean;
}

/**
 * Size- and age-bounded LRU eviction over the CAS and the action cache. Whatever the newest build
 * of each target (per platform, as the caller's `protect` lists) needs is never removed, so a GC can
 * not turn the next no-op build into a rebuild. Blobs are touched on every read and write, so
 * mtime order is use order.
 */
export async function collectGarbage(options: GcOptions): Promise<GcResult> {
  const now = options.now ?? Date.now();
  const graceMs = options.graceMs ?? 10 * 60 * 1000;
  const keep = options.protect ?? new Set<string>();
  const entries: Entry[] = [];
  for (const area of ['cas', 'ac']) {
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
        entries.push({ path, size: info.size, mtimeMs: info.mtimeMs, protected: keep.has(name) || now - info.mtimeMs < graceMs });
      }
    }
  }
  const bytesBefore = entries.reduce((sum, e) => sum + e.size, 0);
  let bytes = bytesBefore;
  let removed = 0;
  const evict = async (entry: Entry): Promise<void> => {
    // A build beside us may have used the entry since the scan (reads, writes and cache hits
    // refresh the mtime): look again right before removing it.
    const now = await stat(entry.path).catch(() => undefined);
    if (now && now.mtimeMs !== entry.mtimeMs) return;
    if (now) await rm(entry.path, { force: true });
    bytes -= entry.size;
    removed++;
  };
  const candidates = entries.filter((e) => !e.protected).sort((a, b) => a.mtimeMs - b.mtimeMs);
  const left: Entry[] = [];
  for (const entry of candidates) {
    if (options.maxAgeMs !== undefined && now - entry.mtimeMs > options.maxAgeMs) await evict(entry);
    else left.push(entry);
  }
  if (options.maxBytes !== undefined) {
    for (const entry of left) {
      if (bytes <= options.maxBytes) break;
      await evict(entry);
    }
  }
  return { scannedFiles: entries.length, bytesBefore, bytesAfter: bytes, removedFiles: removed, protectedFiles: entries.filter((e) => e.protected).length };
}
