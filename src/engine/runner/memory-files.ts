import { posix } from 'node:path';
import type { Digest } from '../../hash/digest.js';
import { diagnosticError } from '../../diagnostic/diagnostic.js';
import type { FileRead } from './action-io.js';
import { checkSourceDigest, type WorkspaceFileSystem } from './workspace-file-system.js';

/**
 * A workspace held in memory (path → bytes): what rule tests cook against, with the same
 * refusals as the disk one — a path leaving the workspace, a missing source, a source whose
 * bytes no longer match the digest the action was keyed with.
 */
export class MemoryFiles implements WorkspaceFileSystem {
  private readonly files = new Map<string, Uint8Array>();

  constructor(files: Iterable<[string, Uint8Array]> = []) {
    for (const [path, bytes] of files) this.files.set(contained(path), bytes);
  }

  /** Add or replace a file (a test editing the workspace between cooks). */
  set(path: string, bytes: Uint8Array): void {
    this.files.set(contained(path), bytes);
  }

  async readSource(path: string, expected: Digest): Promise<Uint8Array> {
    const bytes = this.files.get(contained(path));
    if (bytes === undefined) throw diagnosticError('source-missing', `source file not found: ${path}`, { location: { file: path } });
    return checkSourceDigest(path, bytes, expected);
  }

  async readFile(path: string): Promise<FileRead> {
    return { bytes: this.files.get(contained(path)) };
  }
}

function contained(path: string): string {
  const normal = posix.normalize(path);
  if (path.includes('\0') || posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    throw diagnosticError('outside-workspace', `refusing to read "${path}": it is outside the workspace`, { location: { file: path } });
  }
  return normal;
}
