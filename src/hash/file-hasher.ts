import { closeSync, openSync, readSync } from 'node:fs';
import { type Digest, Digester } from './digest.js';

const CHUNK = 1 << 20;
const scratch = Buffer.allocUnsafe(CHUNK);

/**
 * SHA-256 a file in 1 MiB chunks. Synchronous on purpose: the stat-cache miss path is short and
 * sync reads avoid thousands of promise round-trips on big workspaces.
 */
export function hashFile(path: string): Digest {
  const fd = openSync(path, 'r');
  try {
    const digester = new Digester();
    let bytesRead = readSync(fd, scratch, 0, CHUNK, null);
    while (bytesRead > 0) {
      digester.update(scratch.subarray(0, bytesRead));
      bytesRead = readSync(fd, scratch, 0, CHUNK, null);
    }
    return digester.digest();
  } finally {
    closeSync(fd);
  }
}
