/** A byte source over bytes already in memory: tests, embedded bundles, data from elsewhere. */
import type { ByteSource } from './byte-source.js';
import { abortError, RuntimeError } from './runtime-error.js';

export function memorySource(bytes: Uint8Array, name = 'memory'): ByteSource {
  const source: ByteSource = {
    name,
    async size() {
      return bytes.byteLength;
    },
    async read(offset, length, signal) {
      if (signal?.aborted) throw abortError(signal);
      if (offset < 0 || length < 0 || offset + length > bytes.byteLength) {
        throw new RuntimeError('corrupt', `${name}: read ${offset}+${length} past the end (${bytes.byteLength} bytes): truncated?`);
      }
      return bytes.subarray(offset, offset + length);
    },
    // views of `bytes`, which the caller keeps alive anyway: merging costs nothing and copies nothing
    async readRanges(ranges, signal) {
      return Promise.all(ranges.map((r) => source.read(r.offset, r.length, signal)));
    },
  };
  return source;
}
