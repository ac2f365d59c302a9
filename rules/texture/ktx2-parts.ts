/**
 * Byte ranges of a KTX2 file for streaming: the header part (identifier, index, DFD, key/value
 * and supercompression data — everything a loader needs first) and one part per mip level.
 * Read straight from the level index, so it works for files kiln did not write.
 */
import type { PartLayout } from '../../src/rule/output.js';

export function ktx2Parts(file: Uint8Array): PartLayout[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const levelCount = Math.max(1, view.getUint32(40, true));
  const levels: PartLayout[] = [];
  for (let i = 0; i < levelCount; i++) {
    const at = 80 + i * 24;
    levels.push({ kind: 'mip', index: i, offset: Number(view.getBigUint64(at, true)), size: Number(view.getBigUint64(at + 8, true)) });
  }
  const firstData = Math.min(...levels.map((l) => l.offset));
  return [{ kind: 'header', index: 0, offset: 0, size: firstData }, ...levels];
}
