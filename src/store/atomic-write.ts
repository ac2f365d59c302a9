import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Below this size a write is done synchronously: for the thousands of small blobs and cache
 * entries of a big build, a round trip through libuv's thread pool costs more than the write.
 */
const SYNC_LIMIT = 256 * 1024;

let tempCounter = 0;

/**
 * Write via a temp file in the same folder, then rename: readers see the old file or the whole
 * new one, never a torn write, even when the process is killed mid-write.
 */
export async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  // pid + a per-process counter is unique without asking the OS for random bytes on every write;
  // the pid also lets a later build tell a dead writer's leftovers from a live one's.
  const temp = `${path}.tmp-${process.pid}-${(tempCounter++).toString(16)}`;
  if (data.length <= SYNC_LIMIT) {
    atomicWriteSync(path, temp, data);
    return;
  }
  try {
    try {
      await writeFile(temp, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, data);
    }
  } catch (error) {
    // A write that fails part-way (ENOSPC) leaves a partial temp file: never keep it.
    await rm(temp, { force: true });
    throw error;
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function atomicWriteSync(path: string, temp: string, data: Uint8Array | string): void {
  try {
    try {
      writeFileSync(temp, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(temp, data);
    }
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
