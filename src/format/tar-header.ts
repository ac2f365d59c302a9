/**
 * Reads one 512-byte ustar header (browser-safe). Used to walk a packed tar for the real data
 * offsets and by the runtime to find the index entry.
 */
import { FormatError } from './format-error.js';

export const BLOCK = 512;

/** One decoder for every field (stateless without `stream`): one per field was most of a walk's cost. */
const utf8 = new TextDecoder();
const PATH_KEY = new TextEncoder().encode('path=');

export interface TarHeader {
  name: string;
  size: number;
  /** '0' file, 'x' PAX extended header for the next entry, 'g' global PAX, '5' directory, … */
  type: string;
}

/** Rounds up to whole 512-byte blocks. */
export function blocks(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** Returns undefined for an all-zero block (end of archive); throws on a bad checksum. */
export function readTarHeader(block: Uint8Array): TarHeader | undefined {
  if (block.byteLength < BLOCK) throw new FormatError(`tar header truncated: ${block.byteLength} of 512 bytes`);
  // Two plain loops around the checksum field, which counts as eight spaces: walking a bundle's
  // headers runs before the JIT has caught up, where a branch per byte doubled the loop's cost.
  let sum = 0;
  for (let i = 0; i < 148; i++) sum += block[i]!;
  let field = 0;
  for (let i = 148; i < 156; i++) field += block[i]!;
  for (let i = 156; i < BLOCK; i++) sum += block[i]!;
  if (sum === 0 && field === 0) return undefined;
  sum += 8 * 32;
  const claimed = octal(block, 148, 8);
  if (claimed !== sum) throw new FormatError(`tar header checksum mismatch (${claimed} ≠ ${sum})`);
  const name = text(block, 0, 100);
  const prefix = text(block, 345, 155);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: octal(block, 124, 12),
    type: String.fromCharCode(block[156] || 48),
  };
}

/**
 * Reads `path=` from a PAX extended header's records. Record lengths count bytes (UTF-8), so the
 * records are walked as bytes and only the value is decoded: slicing the decoded text by byte
 * counts would cut a non-ASCII path in the wrong place.
 */
export function paxPath(data: Uint8Array): string | undefined {
  const SPACE = 0x20;
  const NEWLINE = 0x0a;
  const key = PATH_KEY;
  let at = 0;
  while (at < data.byteLength) {
    let space = at;
    while (space < data.byteLength && space - at < 20 && data[space] !== SPACE) space++;
    if (data[space] !== SPACE) return undefined;
    const digits = utf8.decode(data.subarray(at, space));
    if (!/^[0-9]+$/.test(digits)) return undefined;
    const length = Number(digits);
    const end = at + length;
    if (end > data.byteLength || end <= space + 1 || data[end - 1] !== NEWLINE) return undefined;
    const record = data.subarray(space + 1, end - 1);
    if (record.byteLength >= key.byteLength && key.every((byte, i) => record[i] === byte)) {
      return utf8.decode(record.subarray(key.byteLength));
    }
    at = end;
  }
  return undefined;
}

function text(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return utf8.decode(block.subarray(start, end));
}

function octal(block: Uint8Array, start: number, length: number): number {
  const raw = text(block, start, length).trim();
  if (raw === '') return 0;
  if (!/^[0-7]+$/.test(raw)) throw new FormatError(`tar header field "${raw}" is not octal`);
  return parseInt(raw, 8);
}
