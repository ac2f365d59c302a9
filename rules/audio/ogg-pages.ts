/**
 * Ogg page framing (RFC 3533). Opus has no container of its own, so the rule writes the pages:
 * each page carries a header with lacing values and a CRC the decoder checks before trusting
 * anything inside.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0 (unlike zlib's). */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  return crc >>> 0;
}

export const PAGE_CONTINUED = 0x01;
export const PAGE_BOS = 0x02;
export const PAGE_EOS = 0x04;

export interface OggPageInput {
  flags: number;
  /** Codec-defined position at the end of the last packet completed on this page; -1 when none completes. */
  granule: bigint;
  serial: number;
  sequence: number;
  packets: readonly Uint8Array[];
}

/** One page holding whole packets (the writer never splits a packet across pages). */
export function writeOggPage(page: OggPageInput): Uint8Array {
  const lacing: number[] = [];
  for (const packet of page.packets) {
    let left = packet.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    // A packet whose length is a multiple of 255 still ends with a 0 lacing value.
    lacing.push(left);
  }
  if (lacing.length > 255) throw new Error(`ogg page has ${lacing.length} lacing values; at most 255 fit`);
  const bodySize = page.packets.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(27 + lacing.length + bodySize);
  const view = new DataView(out.buffer);
  out.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
  out[4] = 0; // stream structure version
  out[5] = page.flags;
  view.setBigInt64(6, page.granule, true);
  view.setUint32(14, page.serial >>> 0, true);
  view.setUint32(18, page.sequence >>> 0, true);
  // bytes 22..25 (CRC) stay zero while the checksum is computed
  out[26] = lacing.length;
  out.set(lacing, 27);
  let offset = 27 + lacing.length;
  for (const packet of page.packets) {
    out.set(packet, offset);
    offset += packet.length;
  }
  view.setUint32(22, oggCrc(out), true);
  return out;
}

/** Lacing values a packet needs; pages are filled up to 255 of them. */
export function lacingCount(packet: Uint8Array): number {
  return Math.floor(packet.length / 255) + 1;
}
