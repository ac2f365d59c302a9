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

class NotJson extends Error {}
const notJson = new NotJson();

function exactJson(this: unknown, key: string, value: unknown): unknown {
  // `this[key]` is the value before any toJSON (a Date arrives here as a string otherwise).
  const raw = (this as Record<string, unknown>)[key];
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(raw) || Object.is(raw, -0)) throw notJson;
      return value;
    case 'object': {
      if (raw === null || Array.isArray(raw)) return value;
      const proto = Object.getPrototypeOf(raw) as unknown;
      if (proto !== Object.prototype && proto !== null) throw notJson;
      return value;
    }
    default:
      throw notJson; // undefined, bigint, function, symbol
  }
}

export function encodeNode(node: StoredNode): Buffer {
  try {
    return Buffer.from(JSON.stringify(node, exactJson), 'utf8');
  } catch (error) {
    if (!(error instanceof NotJson)) throw error;
    return Buffer.concat([Buffer.of(CLONE_TAG), serialize(node)]);
  }
}

export function decodeNode(bytes: Uint8Array): StoredNode {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === CLONE_TAG) return deserialize(buffer.subarray(1)) as StoredNode;
  return JSON.parse(buffer.toString('utf8')) as StoredNode;
}
