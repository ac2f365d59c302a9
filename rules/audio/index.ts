/**
 * audio — WAV/FLAC/Ogg Vorbis/MP3 sources cooked per platform into Ogg Vorbis, Ogg Opus or PCM
 * WAV: decoded, down-mixed and resampled to the platform profile, optionally loudness-normalised,
 * and cut into independently decodable chunks for streaming. All codecs are wasm and load lazily.
 */
import { defineRule } from '../../src/rule/rule.js';
import type { Rule } from '../../src/rule/rule.js';
import { s } from '../../src/rule/schema.js';
import { cookAudio, type AudioCodecs } from './cook-audio.js';
import type { AudioCodec } from './resolve-profile.js';
import { npmPackageIdentity, type ToolIdentities } from '../../src/rule/tool-identity.js';

import type { AudioOptions, AudioPlatformSettings } from './options.js';
export type { AudioOptions, AudioPlatformSettings } from './options.js';

export const NAME = 'audio';
export type { AudioCodecs } from './cook-audio.js';
export type { AudioCodec } from './resolve-profile.js';


export const DEFAULTS: Partial<AudioOptions> = {
  normalize: false,
  peak_ceiling_db: -1,
};


const codec = s.enum(['vorbis', 'opus', 'wav'] as const);

export function audioRule(codecs: Partial<AudioCodecs> = {}): Rule<AudioOptions, AudioPlatformSettings> {
  return defineRule<AudioOptions, AudioPlatformSettings>({
    name: NAME,
    // 2: each chunk's Ogg serial depends on that chunk only (partial hot reload of edited chunks).
    version: 2,
    type: 'audio',
    description: 'WAV/FLAC/Ogg/MP3 → Ogg Vorbis, Ogg Opus or PCM WAV per platform, normalised, chunked for streaming',
    attributes: s.object<AudioOptions>({
      codec: codec.describe('output codec (overrides the platform)'),
      sample_rate: s.integer({ min: 0, max: 192000 }).describe('output sample rate in Hz, 0 = source rate'),
      channels: s.integer({ min: 0, max: 2 }).describe('output channels, 0 = source'),
      quality: s.number({ min: -1, max: 10 }).describe('Vorbis VBR quality, -1..10'),
      bitrate_kbps: s.integer({ min: 6, max: 510 }).describe('Opus bitrate in kbit/s'),
      pcm_below_seconds: s.number({ min: 0 }).describe('store clips this short as PCM WAV'),
      chunk_seconds: s.number({ min: 0 }).describe('chunk length for streaming, 0 = off'),
      normalize: s.boolean().describe('normalise loudness to target_lufs'),
      target_lufs: s.number({ min: -70, max: 0 }).describe('loudness target in LUFS'),
      peak_ceiling_db: s.number({ max: 0 }).describe('highest peak after normalisation, dBFS'),
    }),
    defaults: DEFAULTS,
    platformSettings: s.object<AudioPlatformSettings>({
      codec,
      sample_rate: s.integer({ min: 0, max: 192000 }),
      channels: s.integer({ min: 0, max: 2 }),
      quality: s.number({ min: -1, max: 10 }),
      bitrate_kbps: s.integer({ min: 6, max: 510 }),
      pcm_below_seconds: s.number({ min: 0 }),
      chunk_seconds: s.number({ min: 0 }),
      target_lufs: s.number({ min: -70, max: 0 }),
      max_duration_seconds: s.number({ min: 0 }),
      max_size_kb: s.number({ min: 0 }),
    }),
    // Decoders by source format, the encoder by codec (mp3 shares wasm-media-encoders with vorbis).
    tools: async (attrs, settings, sources): Promise<ToolIdentities> => {
      const tools: ToolIdentities = {};
      const decoders: Record<string, string> = { wav: '@audio/decode-wav', flac: '@audio/decode-flac', ogg: '@audio/decode-vorbis', oga: '@audio/decode-vorbis', mp3: '@audio/decode-mp3' };
      for (const src of sources) {
        const pkg = decoders[src.slice(src.lastIndexOf('.') + 1).toLowerCase()];
        if (pkg) tools[`decode-${pkg.slice('@audio/decode-'.length)}`] = npmPackageIdentity(pkg);
      }
      const codec = attrs.codec ?? settings.codec;
      if (codec === 'opus') tools['encode-opus'] = npmPackageIdentity('opusscript');
      else if (codec !== 'wav') tools['encode'] = npmPackageIdentity('wasm-media-encoders');
      return tools;
    },
    cook: (ctx) => cookAudio(ctx, codecs, 'cook'),
    validate: (ctx) => cookAudio(ctx, codecs, 'validate'),
  });
}
