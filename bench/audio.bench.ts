/**
 * Audio and shader cook benchmark. `bench()` returns a Markdown report; run it directly with
 * `node dist/bench/audio.bench.js` after `npm run build` (from the repository root).
 *
 * 1. Audio encode speed as × realtime per codec (Ogg Vorbis, Ogg Opus, PCM WAV), on decoded PCM,
 *    plus the decode and prepare (resample, loudness) stages, on the longest clip available
 *    (the corpus's 94 s country.mp3, else the 6 s fixture excerpt).
 * 2. Shader variants per second: one GLSL fragment shader with includes compiled to SPIR-V in
 *    16 variants through the rule (glslangValidator), and the same for a WGSL shader.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeSource, loadAudioDecoder } from '../rules/audio/decode-audio.js';
import { encodeChunks } from '../rules/audio/encode-chunks.js';
import { loadOpusScript } from '../rules/audio/encode-opus.js';
import { loadVorbisEncoder } from '../rules/audio/encode-vorbis.js';
import { preparePcm } from '../rules/audio/prepare-pcm.js';
import { AUDIO_OPTIONS, AUDIO_SETTINGS, type AudioCodec } from '../rules/audio/options.js';
import { resolveProfile } from '../rules/audio/resolve-profile.js';
import { shaderRule } from '../rules/shader/index.js';
import { runRule } from '../test/support/rule-harness.js';

const root = process.cwd();

async function median(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function audioSection(): Promise<string[]> {
  const corpus = join(root, '../shared/corpus/audio/country.mp3');
  const path = existsSync(corpus) ? corpus : join(root, 'test/fixtures/audio/country-6s.mp3');
  const bytes = new Uint8Array(await readFile(path));
  const decoder = await loadAudioDecoder();
  let source = await decodeSource(decoder, bytes, 'bench.mp3');
  const decodeMs = await median(async () => (source = await decodeSource(decoder, bytes, 'bench.mp3')), 1);
  const seconds = source.channelData[0]!.length / source.sampleRate;
  const encoders = { vorbis: loadVorbisEncoder, opus: loadOpusScript };
  const rows: string[] = [];
  for (const codec of ['vorbis', 'opus', 'wav'] as AudioCodec[]) {
    const profile = resolveProfile(AUDIO_OPTIONS.withDefaults({ codec, normalize: true, quality: 4, bitrate_kbps: 96 }), AUDIO_SETTINGS.withDefaults({}));
    let pcm = preparePcm(source, profile, codec);
    const prepareMs = await median(async () => (pcm = preparePcm(source, profile, codec)), 1);
    let size = 0;
    const settings = { codec, sampleRate: pcm.sampleRate, sourceSampleRate: source.sampleRate, quality: 4, bitrateKbps: 96, chunkFrames: 0, serialSeed: 1 };
    const encodeMs = await median(async () => (size = (await encodeChunks(encoders, pcm.channels, settings)).bytes.length), codec === 'wav' ? 3 : 1);
    const chunked = await median(async () => encodeChunks(encoders, pcm.channels, { ...settings, chunkFrames: Math.round(5 * pcm.sampleRate) }), 1);
    const x = (ms: number) => `${(seconds / (ms / 1000)).toFixed(1)}×`;
    rows.push(`| ${codec} | ${pcm.sampleRate} Hz | ${x(encodeMs)} | ${x(chunked)} | ${x(prepareMs)} | ${(size / 1024).toFixed(0)} KiB |`);
  }
  return [
    `### Audio: ${relative(root, path)} (${seconds.toFixed(1)} s, ${source.sampleRate} Hz, ${source.channelData.length} ch)`,
    '',
    `Decode (@audio/decode-*): ${(seconds / (decodeMs / 1000)).toFixed(1)}× realtime.`,
    '',
    '| codec | rate | encode × realtime | encode, 5 s chunks | prepare (resample + loudness) | size |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
}

async function shaderSection(): Promise<string[]> {
  const dir = join(root, 'sample-project/common/shaders');
  const files = new Map<string, Uint8Array>();
  const walk = async (folder: string): Promise<void> => {
    for (const name of await readdir(folder)) {
      const full = join(folder, name);
      if ((await stat(full)).isDirectory()) await walk(full);
      else files.set(`bench/shaders/${relative(dir, full)}`, new Uint8Array(await readFile(full)));
    }
  };
  await walk(dir);
  const variants = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`v${i}`, { USE_NORMAL_MAP: i % 2 === 0, QUALITY: i, USE_EMISSIVE: i % 3 === 0 }]));
  const rule = shaderRule();
  const rows: string[] = [];
  for (const [src, extra, settings] of [
    ['bench/shaders/lit.frag', {}, { glsl_output: 'spirv' }],
    ['bench/shaders/lit.frag', {}, { glsl_output: 'glsl' }],
    ['bench/shaders/lit.wgsl', { defines: { SCALE: '1.0' } }, {}],
  ] as const) {
    // Through the rule harness: the engine's ActionContext over memory, schema checks included.
    const input = { label: '//bench/shaders:s', files: Object.fromEntries(files), srcs: [src], attrs: { variants, ...extra }, platform: { name: 'desktop', settings } };
    const ms = await median(() => runRule(rule, input), 3);
    const format = src.endsWith('.wgsl') ? 'WGSL (wgsl_reflect)' : `GLSL → ${settings.glsl_output === 'spirv' ? 'SPIR-V' : 'validated GLSL'} (glslangValidator)`;
    rows.push(`| ${format} | 16 | ${(16 / (ms / 1000)).toFixed(0)} |`);
  }
  return ['### Shaders: lit.frag / lit.wgsl with includes, 16 variants', '', '| pipeline | variants | variants / s |', '|---|---|---|', ...rows];
}

export async function bench(): Promise<string> {
  const audio = await audioSection();
  let shaders: string[];
  try {
    shaders = await shaderSection();
  } catch (error) {
    shaders = ['### Shaders', '', `skipped: ${(error as Error).message}`];
  }
  return ['## Audio and shaders', '', ...audio, '', ...shaders, ''].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  bench().then((report) => process.stdout.write(report));
}
