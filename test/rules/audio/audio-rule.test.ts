import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import decode from 'audio-decode';
import { describe, expect, it } from 'vitest';
import { audioRule } from '../../../rules/audio/index.js';
import { readOggPages } from '../../../rules/audio/read-ogg-pages.js';
import { RuleError } from '../../../src/rule/rule-error.js';
import { runRule } from '../../support/rule-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../fixtures/audio');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const rule = audioRule();

function cook(src: string, attrs: Record<string, unknown> = {}, settings: Record<string, unknown> = {}, bytes?: Uint8Array) {
  const path = `sample/sfx/${src}`;
  return runRule(rule, {
    label: '//sample/sfx:clip',
    attrs,
    platform: { name: 'desktop', settings },
    files: { [path]: bytes ?? fixture(src) },
    srcs: [path],
  });
}

const seconds = (d: { channelData: Float32Array[]; sampleRate: number }) => d.channelData[0]!.length / d.sampleRate;

describe('audio rule', () => {
  it.each([
    ['coin.wav', 'wav', 0.82],
    ['spring.wav', 'wav', 0.71],
    ['target.ogg', 'ogg', 2.0],
    ['target.flac', 'flac', 2.0],
    ['country-6s.mp3', 'mp3', 6.0],
  ])('decodes %s and reports its duration and levels', async (name, format, duration) => {
    const result = await cook(name, { codec: 'wav' });
    expect(result.stats.source_format).toBe(format);
    expect(result.stats.duration_s as number).toBeCloseTo(duration, 1);
    expect(result.stats.peak_dbfs as number).toBeLessThanOrEqual(0);
    expect(result.stats.peak_dbfs as number).toBeGreaterThan(-40);
    expect(result.stats.rms_dbfs as number).toBeLessThan(result.stats.peak_dbfs as number);
    expect(result.stats.size_before).toBe(fixture(name).length);
  });

  it('encodes Ogg Vorbis that decodes back to the same duration', async () => {
    const result = await cook('target.flac', { codec: 'vorbis', quality: 3 });
    const bytes = result.bytes('clip.ogg');
    expect(result.outputs[0]!.meta).toMatchObject({ codec: 'vorbis', container: 'ogg', sampleRate: 22050, channels: 2 });
    const back = await decode(bytes);
    expect(back.sampleRate).toBe(22050);
    expect(back.channelData).toHaveLength(2);
    expect(seconds(back)).toBeCloseTo(2.0, 2);
    expect(result.stats.size_after).toBe(bytes.length);
    expect(bytes.length).toBeLessThan(fixture('target.flac').length);
  });

  it('writes Ogg Opus with OpusHead, OpusTags, valid CRCs and an end granule that trims to the exact length', async () => {
    const result = await cook('spring.wav', { codec: 'opus', bitrate_kbps: 64 });
    const bytes = result.bytes('clip.opus');
    const { pages, trailing } = readOggPages(bytes);
    expect(trailing).toBe(0);
    expect(pages.every((p) => p.crcOk)).toBe(true);
    expect(new TextDecoder().decode(pages[0]!.segments[0]!.subarray(0, 8))).toBe('OpusHead');
    expect(new TextDecoder().decode(pages[1]!.segments[0]!.subarray(0, 8))).toBe('OpusTags');
    expect(pages[0]!.flags & 0x02).toBe(2);
    expect(pages.at(-1)!.flags & 0x04).toBe(4);
    const frames = result.outputs[0]!.meta.frames as number;
    expect(pages.at(-1)!.granule).toBe(BigInt(312 + frames));
    const back = await decode(bytes);
    expect(back.sampleRate).toBe(48000);
    expect(seconds(back)).toBeCloseTo(frames / 48000, 2);
    expect(seconds(back)).toBeCloseTo(0.71, 1);
  });

  it('round-trips Opus with the waveform intact (correlation with the source)', async () => {
    const result = await cook('target.flac', { codec: 'opus', bitrate_kbps: 128, channels: 1 });
    const back = await decode(result.bytes('clip.opus'));
    const reference = await runRule(rule, {
      label: '//sample/sfx:ref',
      attrs: { codec: 'wav', channels: 1, sample_rate: 48000 },
      files: { 'a.flac': fixture('target.flac') },
      srcs: ['a.flac'],
    });
    const pcm = await decode(reference.bytes('ref.wav'));
    expect(correlation(back.channelData[0]!, pcm.channelData[0]!)).toBeGreaterThan(0.9);
  });

  it('cuts long audio into chunks that each decode on their own and together cover the clip', async () => {
    for (const codec of ['vorbis', 'opus', 'wav'] as const) {
      const result = await cook('country-6s.mp3', { codec, chunk_seconds: 2 });
      const [output] = result.outputs;
      const bytes = result.bytes(output!.name);
      const parts = output!.parts;
      expect(parts.map((p) => p.kind)).toEqual(['chunk', 'chunk', 'chunk']);
      expect(parts.at(-1)!.offset + parts.at(-1)!.size).toBe(bytes.length);
      let total = 0;
      for (const part of parts) {
        const piece = await decode(bytes.slice(part.offset, part.offset + part.size));
        expect(seconds(piece)).toBeGreaterThan(1.9);
        total += seconds(piece);
      }
      expect(total).toBeCloseTo(6.0, 1);
      expect(result.stats.chunks).toBe(3);
    }
  });

  it('gives chained Ogg chunks distinct serial numbers', async () => {
    const result = await cook('country-6s.mp3', { codec: 'vorbis', chunk_seconds: 2 });
    const serials = new Set(readOggPages(result.bytes('clip.ogg')).pages.map((p) => p.serial));
    expect(serials.size).toBe(3);
  });

  it('changes only the last chunk when the end of a clip is edited (each chunk has its own serial)', async () => {
    const rate = 48000;
    const tone = (edit: boolean) => {
      const frames = rate * 6;
      const bytes = new Uint8Array(44 + frames * 2);
      const view = new DataView(bytes.buffer);
      const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
      text(0, 'RIFF'); view.setUint32(4, 36 + frames * 2, true); text(8, 'WAVEfmt ');
      view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
      view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
      text(36, 'data'); view.setUint32(40, frames * 2, true);
      for (let i = 0; i < frames; i++) {
        const hz = edit && i > frames - rate / 2 ? 660 : 440;
        view.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12000), true);
      }
      return bytes;
    };
    for (const codec of ['vorbis', 'opus'] as const) {
      const attrs = { codec, chunk_seconds: 2, normalize: false };
      const chunks = async (edit: boolean) => {
        const r = await cook('tone.wav', attrs, {}, tone(edit));
        const out = r.outputs[0]!;
        const bytes = r.bytes(out.name);
        return out.parts.map((p) => Buffer.from(bytes.subarray(p.offset, p.offset + p.size)).toString('base64'));
      };
      const before = await chunks(false);
      const after = await chunks(true);
      expect(before, codec).toHaveLength(3);
      expect(after.slice(0, 2), codec).toEqual(before.slice(0, 2));
      expect(after[2], codec).not.toEqual(before[2]);
    }
  });

  it('produces identical bytes for identical inputs', async () => {
    for (const codec of ['vorbis', 'opus'] as const) {
      const a = await cook('target.ogg', { codec, normalize: true, chunk_seconds: 1 });
      const b = await cook('target.ogg', { codec, normalize: true, chunk_seconds: 1 });
      expect(a.outputs[0]!.digest).toEqual(b.outputs[0]!.digest);
    }
  });

  it('resamples and down-mixes to the platform profile', async () => {
    const result = await cook('target.flac', {}, { codec: 'wav', sample_rate: 44100, channels: 1 });
    const back = await decode(result.bytes('clip.wav'));
    expect(back.sampleRate).toBe(44100);
    expect(back.channelData).toHaveLength(1);
    expect(seconds(back)).toBeCloseTo(2.0, 3);
  });

  it('lets target attributes override the platform codec', async () => {
    const result = await cook('coin.wav', { codec: 'opus' }, { codec: 'vorbis' });
    expect(result.outputs[0]!.name).toBe('clip.opus');
  });

  it('stores short effects as PCM WAV below the platform threshold', async () => {
    const result = await cook('coin.wav', {}, { codec: 'vorbis', pcm_below_seconds: 1 });
    expect(result.outputs[0]!.name).toBe('clip.wav');
    expect(result.stats.codec).toBe('wav');
  });

  it('normalises loudness to the target without exceeding the peak ceiling', async () => {
    const result = await cook('target.flac', { codec: 'wav', normalize: true, target_lufs: -20 });
    expect(result.stats.out_loudness_lufs as number).toBeCloseTo(-20, 0);
    expect(result.stats.out_peak_dbfs as number).toBeLessThanOrEqual(-1);
    const loud = await cook('target.flac', { codec: 'wav', normalize: true, target_lufs: -3 });
    expect(loud.stats.out_peak_dbfs as number).toBeCloseTo(-1, 1);
    expect(loud.stats.out_loudness_lufs as number).toBeLessThan(-3);
  });

  it('fails when the clip is longer than the platform allows', async () => {
    const error = await cook('target.ogg', {}, { max_duration_seconds: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).message).toMatch(/2\.00 s long.*at most 1 s/);
    expect((error as RuleError).file).toBe('sample/sfx/target.ogg');
  });

  it('fails when the cooked output is larger than the platform allows', async () => {
    const error = await cook('spring.wav', { codec: 'wav' }, { max_size_kb: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).message).toMatch(/KiB.*at most 10 KiB/);
  });

  it('warns about a clipped source', async () => {
    const wav = pcm16Wav([0, 32767, -32768, 32767, 1000, -1000]);
    const result = await cook('clipped.wav', { codec: 'wav' }, {}, wav);
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/clipped: 3 sample/) })]);
  });

  it('validate mode checks limits without encoding', async () => {
    const path = 'sample/sfx/coin.wav';
    const result = await runRule(rule, { files: { [path]: fixture('coin.wav') }, srcs: [path] }, 'validate');
    expect(result.outputs).toEqual([]);
    expect(result.stats.duration_s).toBeCloseTo(0.82, 1);
  });

  it.each([
    ['truncated WAV', 'spring.wav', (b: Uint8Array) => b.subarray(0, 5000), /WAV data chunk declares 31218 bytes .*\(truncated\)/],
    ['truncated Ogg', 'target.ogg', (b: Uint8Array) => b.subarray(0, 9000), /Ogg/],
    ['damaged Ogg page', 'target.ogg', (b: Uint8Array) => flip(b, 6000), /bad CRC/],
    ['truncated FLAC', 'target.flac', (b: Uint8Array) => b.subarray(0, 30000), /FLAC.*truncated|cannot decode FLAC/],
    ['truncated MP3', 'country-6s.mp3', (b: Uint8Array) => b.subarray(0, 50000), /MP3 frame .* cut short/],
    ['garbage', 'coin.wav', () => new TextEncoder().encode('this is not audio at all, just text'), /not a WAV, FLAC, Ogg Vorbis or MP3/],
    ['empty WAV', 'coin.wav', () => pcm16Wav([]), /no audio/],
  ])('rejects a %s with a RuleError naming the file', async (_, name, damage, message) => {
    const error = await cook(name, { codec: 'wav' }, {}, damage(fixture(name))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).message).toMatch(message);
    expect((error as RuleError).file).toBe(`sample/sfx/${name}`);
  });
});

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 0xff;
  return copy;
}

function pcm16Wav(samples: number[]): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('RIFF'), 0);
  view.setUint32(4, 36 + samples.length * 2, true);
  out.set(new TextEncoder().encode('WAVEfmt '), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 8000, true);
  view.setUint32(28, 16000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  out.set(new TextEncoder().encode('data'), 36);
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, s, true));
  return out;
}

/** Best normalised cross-correlation over small lags (codec delay is not exactly zero). */
function correlation(a: Float32Array, b: Float32Array): number {
  let best = 0;
  const n = Math.min(a.length, b.length) - 1000;
  for (let lag = -400; lag <= 400; lag += 1) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 500; i < n; i += 3) {
      const x = a[i + lag]!;
      const y = b[i]!;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    best = Math.max(best, ab / Math.sqrt(aa * bb));
  }
  return best;
}
