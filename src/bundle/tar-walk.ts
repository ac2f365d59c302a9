/**
 * Walks a packed tar and reports where each entry's data really is: data starts one block after
 * its header, the next header follows the data rounded up to 512, and a PAX header ('x') before
 * an entry carries its long or non-ASCII name and shifts everything by its own blocks.
 */
import { FormatError } from '../format/format-error.js';
import { BLOCK, blocks, paxPath, readTarHeader } from '../format/tar-header.js';

export interface TarLocation {
  name: string;
  /** Offset of the entry's (first) header. */
  headerOffset: number;
  /** Offset of the entry's data. */
  dataOffset: number;
  size: number;
}

export function walkTar(tar: Uint8Array): TarLocation[] {
  const out: TarLocation[] = [];
  let at = 0;
  let pendingName: string | undefined;
  let pendingHeader: number | undefined;
  while (at + BLOCK <= tar.byteLength) {
    const header = readTarHeader(tar.subarray(at, at + BLOCK));
    if (!header) return out;
    const dataOffset = at + BLOCK;
    if (dataOffset + header.size > tar.byteLength) throw new FormatError(`tar entry ${header.name} is truncated`);
    if (header.type === 'x') {
      pendingName = paxPath(tar.subarray(dataOffset, dataOffset + header.size));
      pendingHeader = at;
    } else if (header.type !== 'g') {
      out.push({ name: pendingName ?? header.name, headerOffset: pendingHeader ?? at, dataOffset, size: header.size });
      pendingName = undefined;
      pendingHeader = undefined;
    }
    at = dataOffset + blocks(header.size);
  }
  throw new FormatError('tar ends without its end-of-archive blocks');
}
