/**
 * Minimal GLB container handling. Reading only checks what the parsers below would otherwise
 * turn into an opaque crash (glTF 1.0 containers, truncated chunks); writing packs the JSON and
 * BIN chunks after the model rule has rewritten the JSON (texture references).
 */
import { RuleError } from '../../src/rule/rule-error.js';

const MAGIC = 0x46546c67; // 'glTF'
const JSON_CHUNK = 0x4e4f534a;
const BIN_CHUNK = 0x004e4942;

export function isGlb(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === MAGIC;
}

/** Splits a GLB into its JSON text and optional BIN chunk, with a RuleError for every malformation. */
export function splitGlb(bytes: Uint8Array, file: string): { json: string; bin: Uint8Array | undefined } {
  const fail = (why: string): never => {
    throw new RuleError(`not a valid GLB: ${why}`, { file });
  };
  if (bytes.byteLength < 12) fail(`file is ${bytes.byteLength} bytes, shorter than the 12-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('wrong magic (expected "glTF")');
  const version = view.getUint32(4, true);
  if (version !== 2) fail(`container version ${version}; only glTF 2.0 (version 2) is supported`);
  const length = view.getUint32(8, true);
  if (length !== bytes.byteLength) fail(`header says ${length} bytes, file has ${bytes.byteLength}`);
  let offset = 12;
  let json: string | undefined;
  let bin: Uint8Array | undefined;
  while (offset < length) {
    if (offset + 8 > length) fail(`chunk header at byte ${offset} is truncated`);
    const chunkLength = view.getUint32(offset, true);
    const type = view.getUint32(offset + 4, true);
    const start = offset + 8;
    if (start + chunkLength > length) fail(`chunk at byte ${offset} claims ${chunkLength} bytes, past the end of the file`);
    if (json === undefined) {
      if (type !== JSON_CHUNK) fail('first chunk is not JSON');
      if (chunkLength === 0) fail('JSON chunk is empty');
      json = new TextDecoder().decode(bytes.subarray(start, start + chunkLength));
    } else if (type === BIN_CHUNK && bin === undefined) {
      bin = bytes.subarray(start, start + chunkLength);
    }
    offset = start + chunkLength;
  }
  if (json === undefined) fail('no JSON chunk');
  return { json: json!, bin };
}

function pad(bytes: Uint8Array, fill: number): Uint8Array {
  const padded = Math.ceil(bytes.byteLength / 4) * 4;
  if (padded === bytes.byteLength) return bytes;
  const out = new Uint8Array(padded).fill(fill);
  out.set(bytes);
  return out;
}

/** Packs a GLB exactly as glTF-Transform's `writeBinary` does (spaces pad JSON, zeros pad BIN). */
export function packGlb(json: object, bin: Uint8Array | undefined): Uint8Array {
  const jsonBytes = pad(new TextEncoder().encode(JSON.stringify(json)), 0x20);
  const binBytes = bin && bin.byteLength > 0 ? pad(bin, 0) : undefined;
  const total = 12 + 8 + jsonBytes.byteLength + (binBytes ? 8 + binBytes.byteLength : 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonBytes.byteLength, true);
  view.setUint32(16, JSON_CHUNK, true);
  out.set(jsonBytes, 20);
  if (binBytes) {
    const at = 20 + jsonBytes.byteLength;
    view.setUint32(at, binBytes.byteLength, true);
    view.setUint32(at + 4, BIN_CHUNK, true);
    out.set(binBytes, at + 8);
  }
  return out;
}
