import { describe, expect, it } from 'vitest';
import { digestOf } from '../../../src/hash/digest.js';
import { decodeRunFile, encodeRunFile } from '../../../src/engine/remote/run-file.js';
import type { ActionRun } from '../../../src/engine/runner/run-action.js';

const bytes = [Buffer.from('first output'), Buffer.from('second')];
const run: ActionRun = {
  outputs: bytes.map((b, i) => ({ name: `out${i}.bin`, digest: digestOf(b), meta: { index: i }, parts: [] })),
  outputBytes: bytes,
  discovered: { 'lib/a.glsl': `${digestOf(Buffer.from('x')).hash}-1`, 'lib/missing.glsl': 'absent' },
  stableReads: [],
  diagnostics: [],
  stats: { cooked: true },
  durationMs: 12,
};

describe('the remote run file', () => {
  it('round-trips a run with its output bytes', () => {
    const back = decodeRunFile(encodeRunFile(run))!;
    expect(back.outputs).toEqual(run.outputs);
    expect(back.outputBytes.map((b) => Buffer.from(b).toString())).toEqual(['first output', 'second']);
    expect(back.discovered).toEqual(run.discovered);
  });

  it('is refused when a byte of an output was changed, or the file is truncated or padded', () => {
    const file = Buffer.from(encodeRunFile(run));
    const flipped = Buffer.from(file);
    flipped[flipped.length - 1] ^= 1;
    expect(decodeRunFile(flipped)).toBeUndefined();
    expect(decodeRunFile(file.subarray(0, file.length - 1))).toBeUndefined();
    expect(decodeRunFile(Buffer.concat([file, Buffer.from('x')]))).toBeUndefined();
    expect(decodeRunFile(Buffer.from('KILNRUN1\xff\xff\xff\xff'))).toBeUndefined();
  });
});
