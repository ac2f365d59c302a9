/**
 * The audio rule's cook: decode → check limits → prepare PCM → encode (chunked) → output + stats.
 * In validate mode (`kiln validate`) it stops after the checks that need no encoding.
 */
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { decodeSource, loadAudioDecoder, type AudioDecoder } from './decode-audio.js';
import { encodeChunks, type AudioEncoders } from './encode-chunks.js';
import { loadOpusScript } from './encode-opus.js';
import { loadVorbisEncoder } from './encode-vorbis.js';
import type { AudioOptions, AudioPlatformSettings } from './options.js';
import { measureLevels } from './measure-loudness.js';
import { preparePcm } from './prepare-pcm.js';
import { resolveProfile } from './resolve-profile.js';

/** Injectable codecs (glTF-Transform style); each defaults to a lazy import of the real library. */
export interface AudioCodecs extends AudioEncoders {
  decoder(): Promise<AudioDecoder>;
}

const EXTENSIONS = { vorbis: 'ogg', opus: 'opus', wav: 'wav' } as const;

export async function cookAudio(
  ctx: RuleContext<AudioOptions, AudioPlatformSettings>,
  codecs: Partial<AudioCodecs>,
): Promise<void> {
  if (ctx.srcs.length !== 1) throw new RuleError(`audio takes exactly one source, got ${ctx.srcs.length}`);
  const src = ctx.srcs[0]!;
  const profile = resolveProfile(ctx.attrs, ctx.platform.settings);
  const input = await ctx.readSource(src);
  const decoder = await (codecs.decoder ?? loadAudioDecoder)();
  const source = await decodeSource(decoder, input, src.path);
  const frames = source.channelData[0]!.length;
  const duration = frames / source.sampleRate;

  if (profile.maxDurationSeconds > 0 && duration > profile.maxDurationSeconds) {
    throw new RuleError(
      `clip is ${duration.toFixed(2)} s long; platform ${ctx.platform.name} allows at most ${profile.maxDurationSeconds} s`,
      { file: src.path },
    );
  }
  const sourceLevels = measureLevels(source.channelData, source.sampleRate);
  if (sourceLevels.clippedSamples > 0) {
    ctx.warn(`source is clipped: ${sourceLevels.clippedSamples} sample(s) at full scale`, { file: src.path });
  }
  ctx.stat('duration_s', round(duration, 3));
  ctx.stat('source_format', source.format);
  ctx.stat('source_sample_rate', source.sampleRate);
  ctx.stat('source_channels', source.channelData.length);
  ctx.stat('peak_dbfs', round(sourceLevels.peakDb, 2));
  ctx.stat('rms_dbfs', round(sourceLevels.rmsDb, 2));
  ctx.stat('loudness_lufs', round(sourceLevels.loudnessLufs, 2));
  ctx.stat('size_before', input.length);
  if (ctx.mode === 'validate') return;

  const codec = profile.pcmBelowSeconds > 0 && duration <= profile.pcmBelowSeconds ? 'wav' : profile.codec;
  const pcm = preparePcm(source, profile, codec);
  const chunkFrames = profile.chunkSeconds > 0 && duration > profile.chunkSeconds ? Math.round(profile.chunkSeconds * pcm.sampleRate) : 0;
  const encoders: AudioEncoders = { vorbis: codecs.vorbis ?? loadVorbisEncoder, opus: codecs.opus ?? loadOpusScript };
  const encoded = await encodeChunks(encoders, pcm.channels, {
    codec,
    sampleRate: pcm.sampleRate,
    sourceSampleRate: source.sampleRate,
    quality: profile.quality,
    bitrateKbps: profile.bitrateKbps,
    chunkFrames,
  });

  if (profile.maxSizeKb > 0 && encoded.bytes.length > profile.maxSizeKb * 1024) {
    throw new RuleError(
      `cooked ${codec} is ${(encoded.bytes.length / 1024).toFixed(1)} KiB; platform ${ctx.platform.name} allows at most ${profile.maxSizeKb} KiB`,
      { file: src.path },
    );
  }
  await ctx.output(`${ctx.name}.${EXTENSIONS[codec]}`, encoded.bytes, {
    codec,
    container: codec === 'wav' ? (chunkFrames ? 'wav-segments' : 'wav') : 'ogg',
    sampleRate: pcm.sampleRate,
    channels: pcm.channels.length,
    frames: pcm.channels[0]!.length,
    durationSeconds: round(pcm.channels[0]!.length / pcm.sampleRate, 6),
    chunkSeconds: chunkFrames ? profile.chunkSeconds : 0,
    chunkFrames: encoded.chunkFrames,
    gainDb: round(pcm.gainDb, 3),
    parts: encoded.parts,
  });
  ctx.stat('codec', codec);
  ctx.stat('sample_rate', pcm.sampleRate);
  ctx.stat('channels', pcm.channels.length);
  ctx.stat('chunks', encoded.parts.length);
  ctx.stat('gain_db', round(pcm.gainDb, 2));
  ctx.stat('out_peak_dbfs', round(pcm.levels.peakDb, 2));
  ctx.stat('out_loudness_lufs', round(pcm.levels.loudnessLufs, 2));
  ctx.stat('size_after', encoded.bytes.length);
}

/** Stats are JSON: -Infinity (silence) becomes a very low finite number rather than null. */
function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value > 0 ? 999 : -999;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
