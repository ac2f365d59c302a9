import { closeSync, openSync, readSync } from 'node:fs';
import type { Digest } from './digest.js';
import { createHasher, hashBytes } from './xxhash.js';

const CHUNK = 1 << 20;
const scratch = Buffer.allocUnsafe(CHUNK);

/**
 * Hash a file in 1 MiB chunks. Synchronous on purpose: the stat-cache miss path is short and
 * sync reads avoid thousands of promise round-trips on big workspaces.
 */
export function hashFile(path: string): Digest {
  const fd = openSync(path, 'r');
  try {
    let size = 0;
    let bytesRead = readSync(fd, scratch, 0, CHUNK, null);
    if (bytesRead < CHUNK) return { hash: hashBytes(scratch.subarray(0, bytesRead)), size: bytesRead };
    const hasher = createHasher();
    while (bytesRead > 0) {
      hasher.update(scratch.subarray(0, bytesRead));
      size += bytesRead;
      bytesRead = readSync(fd, scratch, 0, CHUNK, null);
    }
    return { hash: hasher.digest(), size };
  } finally {
    closeSync(fd);
  }
}
