/**
 * Walks Ogg pages and checks each CRC. The rule uses it to reject torn or damaged Ogg inputs
 * before a decoder silently returns half a clip, and tests use it to inspect what was written.
 */
import { oggCrc, PAGE_EOS } from './ogg-pages.js';

export interface OggPageInfo {
  offset: number;
  size: number;
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  crcOk: boolean;
  /** Packet payloads completed or continued on this page, as laced. */
  segments: Uint8Array[];
}

export function readOggPages(bytes: Uint8Array): { pages: OggPageInfo[]; trailing: number } {
  const pages: OggPageInfo[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 27 <= bytes.length) {
    if (bytes[offset] !== 0x4f || bytes[offset + 1] !== 0x67 || bytes[offset + 2] !== 0x67 || bytes[offset + 3] !== 0x53) break;
    const count = bytes[offset + 26]!;
    if (offset + 27 + count > bytes.length) break;
    const lacing = bytes.subarray(offset + 27, offset + 27 + count);
    const bodySize = lacing.reduce((sum, v) => sum + v, 0);
    const size = 27 + count + bodySize;
    if (offset + size > bytes.length) break;
    const page = bytes.slice(offset, offset + size);
    const stored = view.getUint32(offset + 22, true);
    page.fill(0, 22, 26);
    const segments: Uint8Array[] = [];
    let body = offset + 27 + count;
    let start = body;
    for (const value of lacing) {
      body += value;
      if (value < 255) {
        segments.push(bytes.subarray(start, body));
        start = body;
      }
    }
    if (start < body) segments.push(bytes.subarray(start, body));
    pages.push({
      offset,
      size,
      flags: bytes[offset + 5]!,
      granule: view.getBigInt64(offset + 6, true),
      serial: view.getUint32(offset + 14, true),
      sequence: view.getUint32(offset + 18, true),
      crcOk: oggCrc(page) === stored,
      segments,
    });
    offset += size;
  }
  return { pages, trailing: bytes.length - offset };
}

/** True when every page checks out and every logical stream that starts also ends. */
export function isCompleteOgg(bytes: Uint8Array): { ok: true } | { ok: false; reason: string } {
  const { pages, trailing } = readOggPages(bytes);
  if (pages.length === 0) return { ok: false, reason: 'no Ogg pages found' };
  const bad = pages.find((p) => !p.crcOk);
  if (bad) return { ok: false, reason: `Ogg page ${bad.sequence} at byte ${bad.offset} has a bad CRC` };
  if (trailing > 0) return { ok: false, reason: `${trailing} byte(s) after the last complete Ogg page (truncated?)` };
  const open = new Set<number>();
  for (const page of pages) {
    open.add(page.serial);
    if (page.flags & PAGE_EOS) open.delete(page.serial);
  }
  if (open.size > 0) return { ok: false, reason: 'the Ogg stream ends without an end-of-stream page (truncated?)' };
  return { ok: true };
}
