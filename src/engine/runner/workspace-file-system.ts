import { type Digest, digestOf, sameDigest } from '../../hash/digest.js';
import { diagnosticError } from '../../diagnostic/diagnostic.js';
import type { FileRead } from './action-io.js';

/**
 * The few workspace reads an action makes, so the same `ActionContext` runs over the real
 * workspace (`WorkspaceFiles`: node:fs, realpath containment) or over memory (`MemoryFiles`, the
 * rule tests). Paths are workspace-relative and `/`-separated.
 */
export interface WorkspaceFileSystem {
  /** Bytes of a declared source, which must still have `expected` (see `checkSourceDigest`). */
  readSource(path: string, expected: Digest): Promise<Uint8Array>;
  /** A discovered file: contained, or refused before reading; `bytes` undefined when it does not exist. */
  readFile(path: string): Promise<FileRead>;
}

/**
 * The key was computed from the digest seen before the cook; bytes that changed since would put
 * a wrong result under that key, so every file system refuses them the same way.
 */
export function checkSourceDigest(path: string, bytes: Uint8Array, expected: Digest): Uint8Array {
  if (!sameDigest(digestOf(bytes), expected)) {
    throw diagnosticError('source-changed', 'source changed while the build was running; build again', { location: { file: path } });
  }
  return bytes;
}
