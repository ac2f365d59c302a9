import { describe, expect, it } from 'vitest';
import type { OutputVersion } from '../../src/format/hot-reload-protocol.js';
import { HeldOutputs, type HeldOutput } from '../../src/runtime/held-outputs.js';

function version(name: string, size: number): Map<string, HeldOutput> {
  const output: OutputVersion = { name, digest: `${'0'.repeat(64)}-${size}`, size, meta: { source: name }, parts: [] };
  return new Map([[name, { output, bytes: new Uint8Array(size) }]]);
}

describe('HeldOutputs', () => {
  it('keeps the bytes of the labels changed most recently within its budget', () => {
    const held = new HeldOutputs(100);
    held.set('//a:x', version('x', 40));
    held.set('//b:y', version('y', 40));
    held.set('//a:x', version('x', 40)); // //a:x changed again: //b:y is now the oldest
    held.set('//c:z', version('z', 40));
    expect(held.get('//a:x')).toBeDefined();
    expect(held.get('//c:z')).toBeDefined();
    expect(held.get('//b:y')).toBeUndefined();
    expect(held.heldBytes).toBe(80);
  });

  it('does not hold a version larger than the whole budget, and forgets the older one', () => {
    const held = new HeldOutputs(100);
    held.set('//a:x', version('x', 10));
    held.set('//a:x', version('x', 200));
    expect(held.get('//a:x')).toBeUndefined();
    expect(held.heldBytes).toBe(0);
  });

  it('counts a replaced or deleted label once', () => {
    const held = new HeldOutputs(1000);
    held.set('//a:x', version('x', 30));
    held.set('//a:x', version('x', 50));
    expect(held.heldBytes).toBe(50);
    held.delete('//a:x');
    held.delete('//a:x');
    expect(held.heldBytes).toBe(0);
  });
});
