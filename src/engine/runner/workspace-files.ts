import { readFileSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Digest } from '../../hash/digest.js';
import { diagnosticError } from '../../diagnostic/diagnostic.js';
import type { FreshSources } from '../fresh-sources.js';
import type { FileRead } from './action-io.js';
import { checkSourceDigest, type WorkspaceFileSystem } from './workspace-file-system.js';

/** Below this a source is read synchronously: cheaper than a thread-pool round trip. */
const SYNC_READ_LIMIT = 256 * 1024;

/**
 * Reads workspace files for an action, contained: the path's realpath must lie inside the
 * workspace (or one of the allowed folders) and be a regular file, checked BEFORE anything is
 * read, so a symlink `secret.txt -> /etc/passwd` can never reach an output, not even on the
 * first build (issue 11). The bytes read are those of the resolved path that was checked.
 */
export class WorkspaceFiles implements WorkspaceFileSystem {
  private readonly allowed: string[];

  constructor(
    private readonly root: string,
    allowedRoots: readonly string[] = [],
    private readonly fresh?: FreshSources,
  ) {
    this.allowed = [realpathSync(root), ...allowedRoots.map((dir) => realpathSync(dir))];
  }

  async readSource(path: string, expected: Digest): Promise<Uint8Array> {
    // Read, contained and hashed with exactly this digest moments ago (the action's key).
    const fresh = this.fresh?.take(path, expected);
    if (fresh) return fresh;
    const real = this.resolve(path);
    if (real === undefined) throw diagnosticError('source-missing', `source file not found: ${path}`, { location: { file: path } });
    const bytes = expected.size <= SYNC_READ_LIMIT ? readFileSync(real) : await readFile(real);
    return checkSourceDigest(path, bytes, expected);
  }

  async readFile(path: string): Promise<FileRead> {
    const real = this.resolve(path);
    if (real === undefined) return { bytes: undefined };
    const before = statSync(real, { bigint: true, throwIfNoEntry: false });
    if (!before) return { bytes: undefined };
    const bytes = await readFile(real).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR') return undefined;
      throw error;
    });
    if (!bytes) return { bytes: undefined };
    const after = statSync(real, { bigint: true, throwIfNoEntry: false });
    // The stat cache may learn the digest only if the file provably did not change meanwhile;
    // it is keyed by the unresolved path, which is what the digester stats.
    const stable = after && sameStat(before, after) ? { absPath: join(this.root, path), mtimeNs: after.mtimeNs, ino: after.ino, size: after.size } : undefined;
    return stable ? { bytes, stable } : { bytes };
  }

  /**
   * The checked real path of a workspace-relative file, or undefined when it does not exist.
   * Refuses paths that leave the workspace and anything that is not a regular file.
   */
  resolve(path: string): string | undefined {
    if (path.includes('\0') || path.startsWith('/') || path === '..' || path.startsWith('../') || path.includes('/../')) {
      throw diagnosticError('outside-workspace', `refusing to read "${path}": it is outside the workspace`, { location: { file: path } });
    }
    let real: string;
    try {
      real = realpathSync(join(this.root, path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
      throw error;
    }
    if (!this.allowed.some((dir) => real === dir || real.startsWith(dir + sep))) {
      throw diagnosticError('outside-workspace', `refusing to read "${path}": it resolves to ${real}, outside the workspace`, { location: { file: path } });
    }
    const stat = statSync(real, { throwIfNoEntry: false });
    if (!stat || stat.isDirectory()) return undefined;
    if (!stat.isFile()) {
      throw diagnosticError('source-unreadable', `refusing to read "${path}": it is a ${stat.isFIFO() ? 'FIFO' : stat.isSocket() ? 'socket' : 'device'}, not a regular file`, { location: { file: path } });
    }
    return real;
  }
}

function sameStat(a: BigIntStats, b: BigIntStats): boolean {
  return a.mtimeNs === b.mtimeNs && a.size === b.size && a.ino === b.ino;
}
