/**
 * Rules against hostile sources: a shader include fan-out (shallow, but exponentially wide) and
 * WAV headers whose declared fields are nonsense. Each is the target's RuleError, with the file,
 * long before memory runs out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audioRule } from '../../rules/audio/index.js';
import { MAX_NODE_DEPTH, nodeDepth } from '../../rules/model/gltf-validation.js';
import { modelRule } from '../../rules/model/index.js';
import { flattenSource, MAX_SPLICES } from '../../rules/shader/flatten-source.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { REPO_ROOT } from '../support/run-kiln.js';
import { runRule } from '../support/rule-harness.js';

describe('shader includes', () => {
  it('25 files each including the next twice is refused at the include that crosses the cap', async () => {
    const files = new Map<string, string>();
    for (let i = 0; i < 25; i++) files.set(`s/f${i}.glsl`, i === 24 ? 'float leaf = 1.0;\n'.repeat(8) : `#include "f${i + 1}.glsl"\n#include "f${i + 1}.glsl"\n`);
    let reads = 0;
    const started = performance.now();
    const error = await flattenSource('s/main.frag', '#include "f0.glsl"\nvoid main() {}\n', {
      directive: 'include',
      searchDirs: [],
      readFile: async (path) => {
        reads++;
        const text = files.get(path);
        return text === undefined ? undefined : new TextEncoder().encode(text);
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).message).toMatch(/more than \d+ includes spliced in|expand to more than/);
    expect((error as RuleError).file ?? '').toMatch(/^s\/f\d+\.glsl$/);
    // Files are read once each (cached); the work stops near the cap, not at 2^25 splices.
    expect(reads).toBeLessThanOrEqual(26);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(MAX_SPLICES).toBeLessThan(2 ** 25);
  });
});

describe('WAV headers', () => {
  const coin = new Uint8Array(readFileSync(join(REPO_ROOT, 'test/fixtures/audio/coin.wav')));

  /** coin.wav with one little-endian field of its fmt chunk replaced. */
  function patched(fieldOffset: number, value: number, width: 2 | 4): Uint8Array {
    const bytes = coin.slice();
    const view = new DataView(bytes.buffer);
    let offset = 12;
    while (String.fromCharCode(...bytes.subarray(offset, offset + 4)) !== 'fmt ') offset += 8 + view.getUint32(offset + 4, true);
    if (width === 4) view.setUint32(offset + 8 + fieldOffset, value, true);
    else view.setUint16(offset + 8 + fieldOffset, value, true);
    return bytes;
  }

  it.each([
    ['a sample rate of 0xFFFFFFFF', 4, 0xffffffff, 4, 'sample rate of 4294967295 Hz'],
    ['a sample rate of 0', 4, 0, 4, 'sample rate of 0 Hz'],
    ['zero channels', 2, 0, 2, 'declares 0 channels'],
    ['a block size that disagrees', 12, 7, 2, 'block size 7'],
  ] as const)('%s is the target’s error naming the file', async (_what, field, value, width, message) => {
    const path = 'sample/sfx/coin.wav';
    const error = await runRule(audioRule(), {
      label: '//sample/sfx:clip',
      attrs: { codec: 'wav' },
      platform: { name: 'desktop', settings: {} },
      files: { [path]: patched(field, value, width) },
      srcs: [path],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).message).toContain(message);
    expect((error as RuleError).file).toBe(path);
  });

  it('a chunk declaring more bytes than the file holds is refused', async () => {
    const bytes = coin.slice();
    const view = new DataView(bytes.buffer);
    // The fmt chunk's own size field: 4 GB.
    let offset = 12;
    while (String.fromCharCode(...bytes.subarray(offset, offset + 4)) !== 'fmt ') offset += 8 + view.getUint32(offset + 4, true);
    view.setUint32(offset + 4, 0xfffffff0, true);
    const path = 'sample/sfx/coin.wav';
    const error = await runRule(audioRule(), { label: '//sample/sfx:clip', attrs: { codec: 'wav' }, platform: { name: 'desktop', settings: {} }, files: { [path]: bytes }, srcs: [path] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).message).toContain('declares 4294967280 bytes');
  });
});

describe('glTF node hierarchies', () => {
  /** A glTF whose nodes form one chain `depth` long (the Dart validator overflows its stack on it). */
  function chain(depth: number): Uint8Array {
    const nodes = Array.from({ length: depth }, (_, i) => (i < depth - 1 ? { children: [i + 1] } : {}));
    return new TextEncoder().encode(JSON.stringify({ asset: { version: '2.0' }, scene: 0, scenes: [{ nodes: [0] }], nodes }));
  }

  it('a 20,000-deep hierarchy is the target’s RuleError, and the process survives', async () => {
    expect(nodeDepth(chain(20_000))).toBe(20_000);
    const path = 'props/deep.gltf';
    const error = await runRule(modelRule(), {
      label: '//props:deep',
      files: { [path]: chain(20_000) },
      srcs: [path],
      platform: { name: 'desktop', settings: { lods: [1], meshopt: false, max_triangles: 1_000_000, budget: 'error' } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).message).toContain(`20000 levels deep, over the limit of ${MAX_NODE_DEPTH}`);
  });

  it('measures depth without recursion and stops at cycles', () => {
    expect(nodeDepth(chain(3))).toBe(3);
    const cyclic = new TextEncoder().encode(JSON.stringify({ asset: { version: '2.0' }, nodes: [{ children: [1] }, { children: [0] }] }));
    expect(nodeDepth(cyclic)).toBeLessThanOrEqual(2);
    expect(nodeDepth(new TextEncoder().encode('not json'))).toBe(0);
  });
});
