import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { digestKey, type Digest } from '../hash/digest.js';
import { StatCache } from '../hash/stat-cache.js';
import { RuleError } from '../rule/rule-error.js';

/**
 * Digests of workspace files (declared sources and discovered inputs) through the stat cache,
 * refusing files that resolve outside the workspace (a symlink to `/etc/passwd` is not an asset).
 */
export class SourceDigester {
  readonly statCache: StatCache;
  private readonly realRoot: string;
  private readonly checked = new Set<string>();
  private readonly realDirs = new Map<string, string>();

  constructor(
    private readonly root: string,
    statEntries: ConstructorParameters<typeof StatCache>[0],
  ) {
    this.statCache = new StatCache(statEntries);
    this.realRoot = realpathSync(root);
  }

  /** Digest of a workspace-relative file, or undefined when it does not exist. */
  digest(path: string): Digest | undefined {
    const abs = join(this.root, path);
    const digest = this.statCache.digest(abs);
    if (digest && !this.checked.has(abs)) {
      const real = this.realPath(abs);
      if (real !== this.realRoot && !real.startsWith(this.realRoot + sep)) {
        throw new RuleError(`"${path}" resolves to ${real}, outside the workspace`, { file: path });
      }
      this.checked.add(abs);
    }
    return digest;
  }

  /**
   * realpath, with folders resolved once each: a plain file costs one lstat instead of one per
   * path component (thousands of sources share a handful of folders).
   */
  private realPath(abs: string): string {
    if (lstatSync(abs).isSymbolicLink()) return realpathSync(abs);
    const dir = dirname(abs);
    let realDir = this.realDirs.get(dir);
    if (realDir === undefined) {
      realDir = realpathSync(dir);
      this.realDirs.set(dir, realDir);
    }
    return join(realDir, basename(abs));
  }

  /** path → digest key or `absent`, for the discovered-inputs half of an action key. */
  discovered(paths: Iterable<string>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const path of [...paths].sort()) {
      const digest = this.digest(path);
      result[path] = digest ? digestKey(digest) : 'absent';
    }
    return result;
  }

  /** Forget what is known about a file (watch mode calls this on every change event). */
  invalidate(path: string): void {
    const abs = join(this.root, path);
    this.statCache.invalidate(abs);
    this.checked.delete(abs);
    // A folder may have been replaced by a symlink.
    this.realDirs.clear();
  }
}
