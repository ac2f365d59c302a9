import { describe, expect, it } from 'vitest';
import { decodeNode, encodeNode } from '../../../src/engine/tracker/node-codec.js';
import type { StoredNode } from '../../../src/engine/tracker/tracker-store.js';

const node = (value: unknown): StoredNode => ({ kind: 'yaml', input: 'assets/p/assets.yaml', value, fingerprint: 'f', deps: [['file:assets/p/assets.yaml', 'abc-12']] });

describe('stored node encoding', () => {
  it('stores plain values as JSON and reads them back equal', () => {
    const stored = node({ targets: { a: { rule: 'files', srcs: ['a.bin'], scale: 0.5, keep: true, none: null } }, list: [1, 'two', { three: 3 }] });
    const bytes = encodeNode(stored);
    expect(bytes[0]).toBe('{'.charCodeAt(0));
    expect(decodeNode(bytes)).toStrictEqual(stored);
  });

  it.each([
    ['NaN (a YAML .nan)', Number.NaN],
    ['Infinity (a YAML .inf)', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['negative zero', -0],
    ['undefined inside an object', { a: undefined }],
    ['undefined inside an array', [1, undefined]],
    ['a bigint', 10n],
    ['a Date', new Date(0)],
    ['a Map', new Map([['k', 1]])],
    ['bytes', new Uint8Array([1, 2, 3])],
  ])('keeps %s exactly, where JSON would change it', (_name, value) => {
    const stored = node({ attrs: { x: value } });
    const decoded = decodeNode(encodeNode(stored));
    expect(decoded).toStrictEqual(stored);
    expect(Object.is((decoded.value as { attrs: { x: unknown } }).attrs.x, -0)).toBe(Object.is(value, -0));
  });

  it('reads a node from a plain Uint8Array view as well as a Buffer', () => {
    const stored = node({ ok: 1 });
    const bytes = encodeNode(stored);
    const view = new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(decodeNode(view)).toStrictEqual(stored);
  });
});
