import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import decode from 'audio-decode';
import { describe, expect, it } from 'vitest';
import { audioRule } from '../../../rules/audio/index.js';
import { audioChunks } from '../../../src/studio/app/src/audio-chunks.js';
import { REPO_ROOT } from '../../support/run-kiln.js';
import { runRule } from '../../support/rule-harness.js';

const mp3 = new Uint8Array(readFileSync(join(REPO_ROOT, 'test/fixtures/audio/country-6s.mp3')));

describe('the page splits a cooked sound into its chunks from the bytes alone', () => {
  it.each(['vorbis', 'wav'] as const)('finds exactly the rule\'s parts in a chunked %s output, each decodable', async (codec) => {
    const result = await runRule(audioRule(), {
      label: '//sample/sfx:clip',
      attrs: { codec, chunk_seconds: 2 },
      platform: { name: 'desktop', settings: {} },
      files: { 'sample/sfx/country-6s.mp3': mp3 },
      srcs: ['sample/sfx/country-6s.mp3'],
    });
    const output = result.outputs[0]!;
    const bytes = result.bytes(output.name);
    const parts = output.parts;
    const chunks = audioChunks(bytes);
    expect(chunks.map((c) => c.byteLength)).toEqual(parts.map((p) => p.size));
    for (const chunk of chunks) expect((await decode(chunk.slice())).channelData[0]!.length).toBeGreaterThan(0);
  });

  it('keeps a file whole when it is not chained or is cut short', () => {
    const ogg = new TextEncoder().encode('OggS');
    expect(audioChunks(ogg)).toHaveLength(1);
    expect(audioChunks(new Uint8Array([1, 2, 3]))).toHaveLength(1);
  });
});
