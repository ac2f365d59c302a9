import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import decode from 'audio-decode';
import { describe, expect, it } from 'vitest';
import { audioRule } from '../../../rules/audio/index.js';
import { measureLevels } from '../../../rules/audio/measure-loudness.js';
import { mixChannels } from '../../../rules/audio/mix-channels.js';
import { oggCrc, writeOggPage } from '../../../rules/audio/ogg-pages.js';
import { readOggPages } from '../../../rules/audio/read-ogg-pages.js';
import { resample } from '../../../rules/audio/resample.js';
import { runRule } from '../../support/rule-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const corpus = resolve(repoRoot, '../shared/corpus/audio');
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.log(`skipping corpus audio tests: ${corpus} not found`);

const sine = (freq: number, rate: number, seconds: number, amplitude = 1) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * freq * i) / rate));

describe('Ogg pages', () => {
  it('computes the Ogg CRC that libogg wrote into a real Vorbis file', () => {
    const { pages, trailing } = readOggPages(new Uint8Array(readFileSync(join(here, '../../fixtures/audio/target.ogg'))));
    expect(trailing).toBe(0);
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.every((p) => p.crcOk)).toBe(true);
  });

  it('laces a packet of exactly 255 bytes with a terminating zero and round-trips it', () => {
    const packet = new Uint8Array(255).fill(7);
    const page = writeOggPage({ flags: 2, granule: 5n, serial: 9, sequence: 0, packets: [packet, new Uint8Array([1])] });
    expect(page[26]).toBe(3); // 255, 0, 1
    const [read] = readOggPages(page).pages;
    expect(read!.crcOk).toBe(true);
    expect(read!.segments.map((s) => s.length)).toEqual([255, 1]);
    expect(oggCrc(new Uint8Array([]))).toBe(0);
  });
});

describe('resample', () => {
  it.each([
    [22050, 48000],
    [44100, 22050],
    [48000, 44100],
  ])('keeps a 1 kHz tone at the same pitch and level from %i Hz to %i Hz', (from, to) => {
    const out = resample(sine(1000, from, 0.5), from, to);
    expect(out.length).toBe(Math.floor((0.5 * from * to) / from));
    const ideal = sine(1000, to, 0.5);
    let error = 0;
    for (let i = 200; i < out.length - 200; i++) error = Math.max(error, Math.abs(out[i]! - ideal[i]!));
    expect(error).toBeLessThan(2e-3);
  });

  it('removes content above the new Nyquist frequency when downsampling', () => {
    const out = resample(sine(15000, 44100, 0.5), 44100, 22050);
    const level = measureLevels([out.subarray(200, -200)], 22050);
    expect(level.peakDb).toBeLessThan(-60);
  });
});

describe('levels', () => {
  it('reads a full-scale 1 kHz sine in one channel as -3.01 LUFS (BS.1770 calibration)', () => {
    const levels = measureLevels([sine(1000, 48000, 2)], 48000);
    expect(levels.loudnessLufs).toBeCloseTo(-3.01, 1);
    expect(levels.peakDb).toBeCloseTo(0, 2);
    expect(levels.rmsDb).toBeCloseTo(-3.01, 1);
  });

  it('down-mixes by averaging so full-scale stereo cannot clip', () => {
    const [mono] = mixChannels([Float32Array.of(1, 1), Float32Array.of(1, -1)], 1);
    expect(Array.from(mono!)).toEqual([1, 0]);
  });
});

describe('corpus audio', () => {
  // A placeholder row keeps the skipped test visible when the corpus is absent.
  const files = hasCorpus ? readdirSync(corpus).sort() : ['(corpus absent)'];
  it.skipIf(!hasCorpus).each(files)('cooks corpus %s to Vorbis that decodes back', async (name) => {
    const path = `corpus/${name}`;
    const bytes = new Uint8Array(readFileSync(join(corpus, name)));
    const result = await runRule(audioRule(), { attrs: { codec: 'vorbis', chunk_seconds: 10, quality: 0 }, files: { [path]: bytes }, srcs: [path] });
    const out = result.bytes(result.outputs[0]!.name);
    const back = await decode(out);
    expect(back.channelData[0]!.length / back.sampleRate).toBeCloseTo(result.stats.duration_s as number, 1);
    const parts = result.outputs[0]!.parts;
    // Every chunk of a long file must start a fresh stream (Ogg capture pattern at its offset).
    for (const part of parts) expect(String.fromCharCode(...out.subarray(part.offset, part.offset + 4))).toBe('OggS');
  });
});
