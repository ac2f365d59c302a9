/**
 * Node-only: reads byte ranges from a local file. The only runtime file that touches `node:`
 * modules, and only through a dynamic import when first used, so importing `kiln/runtime` in a
 * browser never loads it.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ByteSource } from './byte-source.js';
import { abortError, RuntimeError } from './runtime-error.js';

type FsPromises = typeof import('node:fs/promises');

/** Held in a variable so bundlers targeting browsers leave the import alone instead of failing on it. */
const FS_MODULE = 'node:fs/promises';

export function fileSource(path: string): ByteSource {
  let handle: Promise<FileHandle> | undefined;
  const open = () => (handle ??= (import(FS_MODULE) as Promise<FsPromises>).then((fs) => fs.open(path, 'r')));
  const opened = async (): Promise<FileHandle> => {
    try {
      return await open();
    } catch (error) {
      handle = undefined;
      throw new RuntimeError('io', `${path}: ${(error as Error).message}`);
    }
  };
  return {
    name: path,
    async size() {
      const file = await opened();
      return (await file.stat()).size;
    },
    async read(offset, length, signal) {
      if (signal?.aborted) throw abortError(signal);
      const file = await opened();
      // not zero-filled: every byte is overwritten or the read fails
      const out: Uint8Array = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await file.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new RuntimeError('corrupt', `${path}: ends before ${offset + length} (read ${offset + done}): truncated?`);
        done += bytesRead;
      }
      return out;
    },
    async close() {
      const current = handle;
      handle = undefined;
      if (current) await (await current).close();
    },
    sibling(relativePath) {
      const base = path.slice(0, path.lastIndexOf('/') + 1);
      return fileSource(relativePath.startsWith('/') ? relativePath : base + relativePath);
    },
  };
}
