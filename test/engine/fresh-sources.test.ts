import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/hash/digest.js';
import { FRESH_SOURCE_MAX_BYTES, FreshSources } from '../../src/engine/fresh-sources.js';

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('FreshSources', () => {
  it('hands kept bytes out once, and only for the digest they were kept with', () => {
    const fresh = new FreshSources();
    const a = bytesOf('A');
    fresh.keep('p/a.txt', digestOf(a), a);
    expect(fresh.take('p/a.txt', digestOf(bytesOf('B')))).toBeUndefined();
    fresh.keep('p/a.txt', digestOf(a), a);
    expect(fresh.take('p/a.txt', digestOf(a))).toBe(a);
    expect(fresh.take('p/a.txt', digestOf(a))).toBeUndefined();
  });

  it('keeps no file above the size limit and lets the oldest go beyond its total', () => {
    const fresh = new FreshSources();
    const big = new Uint8Array(FRESH_SOURCE_MAX_BYTES + 1);
    fresh.keep('big.bin', digestOf(big), big);
    expect(fresh.take('big.bin', digestOf(big))).toBeUndefined();
    const chunk = new Uint8Array(FRESH_SOURCE_MAX_BYTES);
    const count = 80; // 5 MiB of 64 KiB files, above the 4 MiB bound
    for (let i = 0; i < count; i++) fresh.keep(`f${i}`, digestOf(chunk), chunk);
    expect(fresh.take('f0', digestOf(chunk))).toBeUndefined();
    expect(fresh.take(`f${count - 1}`, digestOf(chunk))).toBe(chunk);
  });
});
