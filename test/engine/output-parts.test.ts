import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { openTestBuilder } from '../watch/support/watch-fixture.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function png(size: number): Promise<Buffer> {
  const raw = Buffer.alloc(size * size * 4);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 251;
  return sharp(raw, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}

describe('output parts', () => {
  it('are hashed when the rule writes the output and kept with the record, also across a cache hit in a new process', async () => {
    ws = tempWorkspace({
      'pkgs/game/assets.yaml': 'targets:\n  hero: { rule: texture, srcs: [hero.png], format: rgba8 }\n',
      'pkgs/game/hero.png': await png(32),
    });
    const first = openTestBuilder(ws.root);
    const summary = await first.build({ patterns: ['//game:hero'] });
    expect(summary.failed, JSON.stringify(summary.targets.map((t) => t.diagnostics))).toBe(0);
    const [record] = first.lastOutputs('//game:hero')!;
    expect(record!.meta).not.toHaveProperty('parts');
    expect(record!.parts.filter((p) => p.kind === 'mip').map((p) => p.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const blob = (await first.cache.blobs.get(record!.digest))!;
    for (const part of record!.parts) expect(part.hash, `${part.kind} ${part.index}`).toBe(sha256(blob.subarray(part.offset, part.offset + part.size)));

    // a fresh builder over the same cache (the tracker's state gone) gets the same record from the action cache
    rmSync(join(ws.root, '.kiln', 'state'), { recursive: true, force: true });
    const second = openTestBuilder(ws.root);
    const again = await second.build({ patterns: ['//game:hero'] });
    expect(again.targets.find((t) => t.label === '//game:hero')?.status).toBe('cached');
    expect(second.lastOutputs('//game:hero')![0]!.parts).toEqual(record!.parts);
  });
});
