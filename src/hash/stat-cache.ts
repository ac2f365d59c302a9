import { type BigIntStats, statSync } from 'node:fs';
import type { Digest } from './digest.js';
import { hashFile } from './file-hasher.js';
import { isRacy } from './racy-mtime.js';

/** What the cache remembers of a file: enough of its stat to know it is untouched, and its digest. */
export interface StatEntry {
  size: number;
  mtimeNs: string;
  ino: number;
  hash: string;
}


/**
 * Maps workspace files to digests without re-reading untouched files. A file whose stat changed
 * but whose content did not gets the same digest, so nothing downstream runs.
 */
export class StatCache {
  private readonly entries: Map<string, StatEntry>;
  private dirty = false;
  /** Files hashed while too young to remember; `settle` looks at them again at the end of a build. */
  private readonly racy = new Set<string>();
  /** How many files were actually read and hashed (for summaries and tests). */
  hashed = 0;

  constructor(entries?: Record<string, StatEntry>) {
    this.entries = new Map(entries ? Object.entries(entries) : []);
  }

  /** Digest of the file at `absPath`, or undefined when it does not exist (or is not a file). */
  digest(absPath: string): Digest | undefined {
    const stat = statSync(absPath, { bigint: true, throwIfNoEntry: false });
    if (!stat || !stat.isFile()) {
      if (this.entries.delete(absPath)) this.dirty = true;
      return undefined;
    }
    const size = Number(stat.size);
    const mtimeNs = stat.mtimeNs.toString();
    const ino = Number(stat.ino);
    const known = this.entries.get(absPath);
    if (known && known.size === size && known.mtimeNs === mtimeNs && known.ino === ino) {
      return { hash: known.hash, size };
    }
    const digest = hashFile(absPath);
    this.hashed++;
    if (!isRacy(stat.mtimeNs)) {
      this.entries.set(absPath, { size: digest.size, mtimeNs, ino, hash: digest.hash });
      this.dirty = true;
    } else {
      this.racy.add(absPath);
      if (this.entries.delete(absPath)) this.dirty = true;
    }
    return digest;
  }

  /**
   * Re-hash the files that were too young to remember when first seen and are old enough now
   * (git's "racily clean" entries), so the next build does not have to. The digest stored is of
   * the content now on disk, which is what the next build must compare against.
   */
  settle(): void {
    for (const absPath of this.racy) {
      this.racy.delete(absPath);
      const stat = statSync(absPath, { bigint: true, throwIfNoEntry: false });
      if (!stat || !stat.isFile()) continue;
      if (isRacy(stat.mtimeNs)) continue;
      const digest = hashFile(absPath);
      const after = statSync(absPath, { bigint: true, throwIfNoEntry: false });
      if (!after || after.mtimeNs !== stat.mtimeNs || after.size !== stat.size) continue;
      this.entries.set(absPath, { size: digest.size, mtimeNs: stat.mtimeNs.toString(), ino: Number(stat.ino), hash: digest.hash });
      this.dirty = true;
    }
  }

  /** Remember a digest computed elsewhere from a read the caller proved stable (same stat before and after). */
  remember(absPath: string, stat: Pick<BigIntStats, 'mtimeNs' | 'ino'>, digest: Digest): void {
    if (isRacy(stat.mtimeNs)) return;
    this.entries.set(absPath, { size: digest.size, mtimeNs: stat.mtimeNs.toString(), ino: Number(stat.ino), hash: digest.hash });
    this.dirty = true;
  }

  /** The digest key remembered for the file's *current* stat, without reading it; undefined if none. */
  lookup(absPath: string): string | undefined {
    const known = this.entries.get(absPath);
    if (!known) return undefined;
    const stat = statSync(absPath, { bigint: true, throwIfNoEntry: false });
    if (!stat || Number(stat.size) !== known.size || stat.mtimeNs.toString() !== known.mtimeNs || Number(stat.ino) !== known.ino) return undefined;
    return `${known.hash}-${known.size}`;
  }

  /** Forget a path (the watcher calls this when it sees a change). */
  invalidate(absPath: string): void {
    if (this.entries.delete(absPath)) this.dirty = true;
  }

  get changed(): boolean {
    return this.dirty;
  }

  toJSON(): Record<string, StatEntry> {
    return Object.fromEntries(this.entries);
  }
}
