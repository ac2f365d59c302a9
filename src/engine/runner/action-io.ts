import type { Digest } from '../../hash/digest.js';

/** A discovered read that provably saw one version of the file (same stat before and after). */
export interface StableRead {
  /** Absolute path as the stat cache keys it (workspace root + relative path). */
  absPath: string;
  mtimeNs: bigint;
  ino: bigint;
  size: bigint;
  digest: Digest;
}

export interface FileRead {
  /** undefined when the file does not exist. */
  bytes: Uint8Array | undefined;
  stable?: Omit<StableRead, 'digest'>;
}

/**
 * Everything an action touches outside its own memory. The in-process runner, the pool worker
 * and (later) a remote executor each supply one; the rule only ever sees the RuleContext built
 * on top (action-context.ts), so a rule cooks the same bytes wherever it runs.
 */
export interface ActionIO {
  /** Bytes of a declared source; they must still have `digest` (the key was computed from it). */
  readSource(path: string, digest: Digest): Promise<Uint8Array>;
  /** A workspace-relative file the rule discovered (normalized, never `..`): contained, or refused before reading. */
  readFile(path: string): Promise<FileRead>;
  /** A blob by digest (dependency outputs); undefined when the store does not have it. */
  readBlob(digest: Digest): Promise<Uint8Array | undefined>;
  /** Keep an output; returns its digest. */
  writeOutput(bytes: Uint8Array): Promise<Digest>;
  /** A private scratch folder, removed by `dispose`. */
  tempDir(): Promise<string>;
  dispose(): Promise<void>;
}
