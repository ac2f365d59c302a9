/**
 * Packs a deterministic tar: entries in the order given, mtime 0, uid/gid 0,
 * empty uname/gname, mode 0644. An entry may ask for its data to start at a multiple of
 * `align` bytes; the writer then puts a PAX header with a `comment` record of just the right
 * length in front of it (any tar tool ignores it), so no visible padding files appear.
 */
import { BLOCK, blocks } from '../format/tar-header.js';

export interface TarInput {
  name: string;
  data: Uint8Array;
  /** Length of the PAX `comment` padding record, from `planTar`. */
  padding?: number;
}

export interface TarPlan {
  /** Per input: the padding to request and the resulting data offset. */
  entries: { padding: number | undefined; dataOffset: number }[];
  /** Total tar size including the two end blocks. */
  size: number;
}

const utf8 = new TextEncoder();

/** A PAX record is `<len> <key>=<value>\n` where `<len>` counts itself. */
function recordLength(key: string, value: string): number {
  const body = utf8.encode(` ${key}=${value}\n`).byteLength;
  let digits = String(body).length;
  if (body + digits >= 10 ** digits) digits++;
  return body + digits;
}

/** Whether a name needs a PAX header (non-ASCII, or too long for ustar's prefix/name split). */
function needsPax(name: string): boolean {
  if (utf8.encode(name).byteLength !== name.length) return true;
  let rest = name;
  let prefix = '';
  while (rest.length > 100) {
    const slash = rest.indexOf('/');
    if (slash === -1) return true;
    prefix += prefix ? `/${rest.slice(0, slash)}` : rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  return prefix.length > 155;
}

/** Header bytes before the data, for a given comment padding (undefined = no comment record). */
function headerBytes(name: string, padding: number | undefined): number {
  if (padding === undefined && !needsPax(name)) return BLOCK;
  let pax = recordLength('path', name);
  if (padding !== undefined) pax += recordLength('comment', 'x'.repeat(padding));
  return BLOCK + blocks(pax) + BLOCK;
}

/** Smallest comment padding that lands data written at `at` on a multiple of `align`. */
function paddingFor(name: string, at: number, align: number): number | undefined {
  if ((at + headerBytes(name, undefined)) % align === 0) return undefined;
  for (let padding = 0; padding < align + 2 * BLOCK; padding++) {
    if ((at + headerBytes(name, padding)) % align === 0) return padding;
  }
  throw new Error(`cannot align ${name} to ${align} bytes`);
}

/** Computes offsets (and alignment padding) without packing. `align` must be a power of two. */
export function planTar(entries: readonly { name: string; size: number; align: number }[]): TarPlan {
  let at = 0;
  const out: TarPlan['entries'] = [];
  for (const entry of entries) {
    const padding = entry.align > BLOCK ? paddingFor(entry.name, at, entry.align) : undefined;
    const dataOffset = at + headerBytes(entry.name, padding);
    out.push({ padding, dataOffset });
    at = dataOffset + blocks(entry.size);
  }
  return { entries: out, size: at + 2 * BLOCK };
}

/** `value` in octal, zero-padded to `digits`, then a space (the form GNU tar and tar-stream write). */
function octalField(value: number, digits: number): string {
  const text = value.toString(8);
  if (text.length > digits) throw new Error(`tar field overflow: ${value} needs more than ${digits} octal digits`);
  return `${'0'.repeat(digits - text.length)}${text} `;
}

/**
 * One ustar header block with kiln's fixed fields: mode 0644, uid/gid 0, mtime 0, empty
 * uname/gname. `name` must already fit ustar (ASCII, split into prefix/name): PAX covers the rest.
 */
function ustarHeader(name: string, size: number, type: '0' | 'x'): Uint8Array {
  const block = new Uint8Array(BLOCK);
  let rest = name;
  let prefix = '';
  while (rest.length > 100) {
    const slash = rest.indexOf('/');
    prefix += prefix ? `/${rest.slice(0, slash)}` : rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  const put = (text: string, at: number) => block.set(utf8.encode(text), at);
  put(rest, 0);
  put(octalField(0o644, 6), 100);
  put(octalField(0, 6), 108);
  put(octalField(0, 6), 116);
  put(octalField(size, 11), 124);
  put(octalField(0, 11), 136);
  block[156] = type.charCodeAt(0);
  put('ustar\u000000', 257);
  put(octalField(0, 6), 329);
  put(octalField(0, 6), 337);
  if (prefix) put(prefix, 345);
  // The checksum counts its own field as eight spaces.
  let sum = 8 * 32;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i]!;
  put(octalField(sum, 6), 148);
  return block;
}

/** `<len> <key>=<value>\n` records, `<len>` counting itself. */
function paxRecords(records: readonly [string, string][]): Uint8Array {
  return utf8.encode(records.map(([key, value]) => `${recordLength(key, value)} ${key}=${value}\n`).join(''));
}

/**
 * Packs the entries into one buffer: per entry its header (a PAX extended header first when the
 * name is not plain ustar or an alignment comment is asked for), its data, zero padding to the
 * block; then two zero blocks. Kiln lays out every byte itself, so `planTar`'s offsets hold by
 * construction (the bundle builder still checks them against a walk of the result).
 */
export async function writeTar(entries: readonly TarInput[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 2 * BLOCK;
  const push = (bytes: Uint8Array, padTo = bytes.byteLength) => {
    parts.push(bytes);
    total += blocks(padTo);
  };
  for (const entry of entries) {
    const size = entry.data.byteLength;
    if (entry.padding !== undefined || needsPax(entry.name)) {
      const records: [string, string][] = [['path', entry.name]];
      if (entry.padding !== undefined) records.push(['comment', 'x'.repeat(entry.padding)]);
      const pax = paxRecords(records);
      push(ustarHeader('PaxHeader', pax.byteLength, 'x'));
      push(pax);
      push(ustarHeader('PaxHeader', size, '0'));
    } else {
      push(ustarHeader(entry.name, size, '0'));
    }
    push(entry.data);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += blocks(part.byteLength);
  }
  return out;
}
