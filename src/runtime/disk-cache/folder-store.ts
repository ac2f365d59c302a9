/**
 * `kiln/runtime/folder-store`: a DiskStore in a folder, for Node and native hosts (the only file
 * of the disk cache that needs `node:fs`, so it has its own entry point and stays out of the
 * browser build). One file per record, named by its key; a write goes to a temporary file that
 * is renamed into place, so a crash (even `kill -9`) leaves either the old state or the whole
 * record, plus debris that the next `list()` removes. Symlinks and other non-files in the folder
 * are ignored, never followed; a record larger than `maxRecordBytes` is never read into memory.
 */
import { constants } from 'node:fs';
import { lstat, lutimes, mkdir, open, readdir, rename, rm, statfs, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { STORE_KEY, type DiskStore, type StorageEstimate, type StoredEntry } from './disk-store.js';

export interface FolderStoreOptions {
  /** Records above this size are treated as absent (default 1 GiB). */
  maxRecordBytes?: number;
}

const TEMP_PREFIX = '.tmp-';

export function folderStore(dir: string, options: FolderStoreOptions = {}): DiskStore {
  const maxRecordBytes = options.maxRecordBytes ?? 1 << 30;
  const sizes = new Map<string, number>();
  let made: Promise<unknown> | undefined;
  const ensure = () => (made ??= mkdir(dir, { recursive: true }));
  const pathOf = (key: string): string => {
    if (!STORE_KEY.test(key)) throw new Error(`${dir}: ${key} is not a valid record key`);
    return join(dir, key);
  };
  let serial = 0;
  return {
    name: dir,
    async get(key, maxBytes) {
      let handle;
      try {
        handle = await open(pathOf(key), constants.O_RDONLY | constants.O_NOFOLLOW);
      } catch {
        return undefined;
      }
      try {
        const info = await handle.stat();
        if (!info.isFile() || info.size > Math.min(maxBytes, maxRecordBytes)) return undefined;
        const bytes = new Uint8Array(info.size);
        let at = 0;
        while (at < bytes.byteLength) {
          const { bytesRead } = await handle.read(bytes, at, bytes.byteLength - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        // a record that shrank under us is handed back short; its digest check drops it
        return at === bytes.byteLength ? bytes : bytes.subarray(0, at);
      } catch {
        return undefined;
      } finally {
        await handle.close();
      }
    },
    async put(key, bytes, usedAt) {
      const final = pathOf(key);
      await ensure();
      const temp = join(dir, `${TEMP_PREFIX}${key}-${process.pid}-${serial++}`);
      try {
        const handle = await open(temp, 'wx');
        try {
          await handle.writeFile(bytes);
        } finally {
          await handle.close();
        }
        const when = new Date(usedAt);
        await utimes(temp, when, when);
        await rename(temp, final);
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw error;
      }
      sizes.set(key, bytes.byteLength);
    },
    async delete(key) {
      await unlink(pathOf(key)).catch(() => undefined);
      sizes.delete(key);
    },
    async list(): Promise<StoredEntry[]> {
      await ensure();
      const out: StoredEntry[] = [];
      sizes.clear();
      for (const name of await readdir(dir)) {
        const path = join(dir, name);
        if (name.startsWith(TEMP_PREFIX)) {
          // debris of a write that never reached its rename (a crash, a full disk)
          await rm(path, { force: true }).catch(() => undefined);
          continue;
        }
        if (!STORE_KEY.test(name)) continue;
        const info = await lstat(path).catch(() => undefined);
        if (!info?.isFile()) continue;
        sizes.set(name, info.size);
        out.push({ key: name, size: info.size, usedAt: info.mtimeMs });
      }
      return out;
    },
    async touch(key, usedAt) {
      const when = new Date(usedAt);
      // lutimes: a symlink planted under a record's name is never followed
      await lutimes(pathOf(key), when, when).catch(() => undefined);
    },
    async clear() {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (STORE_KEY.test(name) || name.startsWith(TEMP_PREFIX)) await rm(join(dir, name), { force: true });
      }
      sizes.clear();
    },
    // the disk's free space plus what this store holds is what it may grow to
    async estimate(): Promise<StorageEstimate | undefined> {
      await ensure();
      const fs = await statfs(dir).catch(() => undefined);
      if (!fs) return undefined;
      let usage = 0;
      for (const size of sizes.values()) usage += size;
      return { usage, quota: usage + fs.bavail * fs.bsize };
    },
  };
}
