import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Fallback } from '../../src/runtime/sha256-fallback.js';

describe('the JavaScript SHA-256 used where WebCrypto is missing', () => {
  it('matches the standard vectors and Node at every padding boundary', () => {
    expect(sha256Fallback(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Fallback(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const length of [55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 7 + length) & 0xff);
      expect(sha256Fallback(bytes), `${length} bytes`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('matches Node on random inputs, also on views into a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(16), (bytes, offset) => {
        const backing = new Uint8Array(bytes.length + offset + 3);
        backing.set(bytes, offset);
        const view = backing.subarray(offset, offset + bytes.length);
        return sha256Fallback(view) === createHash('sha256').update(bytes).digest('hex');
      }),
    );
  });
});
