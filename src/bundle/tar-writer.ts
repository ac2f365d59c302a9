/**
 * Packs a deterministic tar with tar-stream: entries in the order given, mtime 0, uid/gid 0,
 * empty uname/gname, mode 0644. An entry may ask for its data to start at a multiple of
 * `align` bytes; the writer then puts a PAX header with a `comment` record of just the right
 * length in front of it (any tar tool ignores it), so no visible padding files appear.
 */
import { createRequire } from 'node:module';
import type tarStream from 'tar-stream';
import { BLOCK, blocks } from './tar-header.js';

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

/** Whether tar-stream must use a PAX header for this name (non-ASCII, or too long for ustar). */
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

export async function writeTar(entries: readonly TarInput[]): Promise<Uint8Array> {
  // Required on first use, not at import: only a bundle cook needs it, every CLI start imports this file.
  const tar = createRequire(import.meta.url)('tar-stream') as typeof tarStream;
  const pack = tar.pack();
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (chunk: unknown) => {
      chunks.push(chunk as Uint8Array);
    });
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      const header: Partial<tarStream.Header> & { name: string } = {
        name: entry.name,
        size: entry.data.byteLength,
        mode: 0o644,
        mtime: new Date(0),
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        type: 'file',
      };
      if (entry.padding !== undefined) header.pax = { comment: 'x'.repeat(entry.padding) };
      // tar-stream only treats real Buffers as whole-entry data.
      pack.entry(header, Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength), (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }
  pack.finalize();
  await done;
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
