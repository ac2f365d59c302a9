import { deserialize, serialize } from 'node:v8';
import type { StoredNode } from './tracker-store.js';

/**
 * How a stored node is laid out in the store's bytes. JSON first: a fresh-process build decodes
 * every node it verifies (40,000 at 10k assets), and V8's JSON.parse decodes these small,
 * self-describing objects several times faster than msgpack with record structures — the shapes
 * here (source paths and labels as object keys) overflow msgpackr's 32 shared structures, so most
 * records carried inline definitions that were compiled again on every read.
 *
 * JSON cannot say everything a value may hold (NaN and ±Infinity from a YAML `.inf`, -0, undefined
 * inside objects or arrays, bigint, Date, typed arrays, Maps): a node holding any of these is
 * written in V8's structured-clone format behind a 0x00 byte instead, so decoding is exact either way.
 */
const CLONE_TAG = 0x00;

/**
 * Whether JSON holds `value` exactly. A walk of its own, then V8's plain JSON.stringify: a
 * replacer function would make V8 call back into JavaScript for every key of every node (the
 * largest part of encoding a cold build's 40,000 nodes).
 */
function isExactJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isExactJson(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false; // Date, Map, typed arrays…
      const record = value as Record<string, unknown>;
      for (const key in record) if (!isExactJson(record[key])) return false;
      return true;
    }
    default:
      return false; // undefined, bigint, function, symbol
  }
}

export function encodeNode(node: StoredNode): Buffer {
  if (isExactJson(node)) return Buffer.from(JSON.stringify(node), 'utf8');
  return Buffer.concat([Buffer.of(CLONE_TAG), serialize(node)]);
}

export function decodeNode(bytes: Uint8Array): StoredNode {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === CLONE_TAG) return deserialize(buffer.subarray(1)) as StoredNode;
  return JSON.parse(buffer.toString('utf8')) as StoredNode;
}
