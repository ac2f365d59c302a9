/**
 * Node-only: reads byte ranges from a local file. The only runtime file that touches `node:`
 * modules, and only through a dynamic import when first used, so importing `kiln/runtime` in a
 * browser never loads it.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ByteRange, ByteSource } from './byte-source.js';
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
    // One preadv for the whole run: each range lands in its own buffer (no copy, and no shared
    // backing store that would keep evicted neighbours alive); the gaps go to a throwaway buffer.
    async readRanges(ranges, signal) {
      if (signal?.aborted) throw abortError(signal);
      const file = await opened();
      const outs: Uint8Array[] = ranges.map((r) => Buffer.allocUnsafe(r.length));
      const iov = scatterList(ranges, outs);
      const start = ranges[0]?.offset ?? 0;
      const total = iov.reduce((n, b) => n + b.byteLength, 0);
      let done = 0;
      while (done < total) {
        if (signal?.aborted) throw abortError(signal);
        const { bytesRead } = await file.readv(remaining(iov, done), start + done);
        if (bytesRead === 0) throw new RuntimeError('corrupt', `${path}: ends before ${start + total} (read ${start + done}): truncated?`);
        done += bytesRead;
      }
      return outs;
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

/** The buffers a readv fills, in file order: each range's output, with gap fillers between. */
function scatterList(ranges: readonly ByteRange[], outs: readonly Uint8Array[]): Uint8Array[] {
  let widestGap = 0;
  for (let i = 1; i < ranges.length; i++) widestGap = Math.max(widestGap, ranges[i]!.offset - (ranges[i - 1]!.offset + ranges[i - 1]!.length));
  const scratch = Buffer.allocUnsafe(widestGap);
  const iov: Uint8Array[] = [];
  for (let i = 0; i < ranges.length; i++) {
    const gap = i === 0 ? 0 : ranges[i]!.offset - (ranges[i - 1]!.offset + ranges[i - 1]!.length);
    if (gap > 0) iov.push(scratch.subarray(0, gap));
    if (outs[i]!.byteLength > 0) iov.push(outs[i]!);
  }
  return iov;
}

/** `iov` without its first `skip` bytes (after a short read). */
function remaining(iov: readonly Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const buffer of iov) {
    if (skip >= buffer.byteLength) skip -= buffer.byteLength;
    else {
      out.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
  }
  return out;
}
