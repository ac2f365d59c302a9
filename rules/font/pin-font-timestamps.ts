/**
 * opentype.js stamps the `head` table's `modified` field with the current time on every write, so
 * two cooks of the same font differ. This rewrites `created` and `modified` to a value taken from
 * the source font and recomputes the checksums the OpenType spec requires, making the subset's
 * bytes a function of its inputs alone.
 */
const HEAD = 0x68656164; // 'head'
const CHECKSUM_MAGIC = 0xb1b0afba;

export function pinFontTimestamps(bytes: Uint8Array, seconds1904: bigint): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    if (view.getUint32(record) !== HEAD) continue;
    const offset = view.getUint32(record + 8);
    const length = view.getUint32(record + 12);
    view.setUint32(offset + 8, 0); // checkSumAdjustment is computed with itself set to zero
    view.setBigUint64(offset + 20, seconds1904); // created
    view.setBigUint64(offset + 28, seconds1904); // modified
    view.setUint32(record + 4, checksum(view, offset, length));
    view.setUint32(offset + 8, (CHECKSUM_MAGIC - checksum(view, 0, out.byteLength)) >>> 0);
    return out;
  }
  throw new Error('subset font has no head table');
}

/** The OpenType table checksum: the sum of big-endian uint32 words, the tail zero-padded. */
function checksum(view: DataView, offset: number, length: number): number {
  let sum = 0;
  const end = offset + length;
  for (let at = offset; at < end; at += 4) {
    let word = 0;
    for (let b = 0; b < 4; b++) word = (word << 8) | (at + b < end ? view.getUint8(at + b) : 0);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}
