import { describe, expect, it } from 'vitest';
import { canonicalJson, sortedCopyJson } from '../../src/format/canonical-json.js';

/** A small deterministic generator of JSON-ish values, unusual ones included. */
function generator(seed: number) {
  let state = seed;
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const keys = ['a', 'b', 'B', '_', 'é', '0', '1', '10', '9', '01', '-1', '4294967294', '4294967295', '1e3', '', 'ab', 'toJSON', '__proto__', 'x y', '"q"', '\u2028'];
  const value = (depth: number): unknown => {
    switch (random(depth > 3 ? 7 : 10)) {
      case 0:
        return null;
      case 1:
        return random(2) === 0;
      case 2:
        return [0, -0, 1.5, -3, 1e21, 2 ** 53, NaN, Infinity, 0.1][random(9)];
      case 3:
        return ['', 'plain', 'quote " and \\ back', 'line\nbreak', '\u0000', 'é', '\ud800'][random(7)];
      case 4:
        return undefined;
      case 5:
        return random(8) === 0 ? new Date(0) : random(8) === 0 ? new Uint8Array([1, 2]) : random(8) === 0 ? () => 1 : 'x';
      case 6:
        return random(6) === 0 ? Symbol('s') : 7;
      case 7:
      case 8: {
        const o: Record<string, unknown> = random(5) === 0 ? Object.create(null) : {};
        for (let i = random(6); i > 0; i--) {
          const key = keys[random(keys.length)]!;
          if (key === '__proto__') Object.defineProperty(o, key, { value: value(depth + 1), enumerable: true, configurable: true, writable: true });
          else o[key] = value(depth + 1);
        }
        return o;
      }
      default:
        return Array.from({ length: random(4) }, () => value(depth + 1));
    }
  };
  return () => value(0);
}

describe('canonicalJson', () => {
  it('writes exactly the bytes of JSON.stringify over a sorted copy, for thousands of random values', () => {
    const next = generator(11);
    for (let i = 0; i < 5000; i++) {
      const value = next();
      expect(canonicalJson(value), JSON.stringify(String(i))).toBe(sortedCopyJson(value));
    }
  });

  it('puts array-index keys first in numeric order, then the rest sorted by code unit', () => {
    expect(canonicalJson({ b: 1, 10: 2, a: [3, { z: null, y: true }], 9: 'x', '01': 4, B: 5 })).toBe('{"9":"x","10":2,"01":4,"B":5,"a":[3,{"y":true,"z":null}],"b":1}');
  });

  it('drops undefined members and writes what JSON cannot hold as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, NaN, -0], c: new Date(0) })).toBe('{"b":[null,null,0],"c":{}}');
  });
});
