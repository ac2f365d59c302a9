/**
 * audio — WAV/FLAC/Ogg Vorbis/MP3 sources cooked per platform into Ogg Vorbis, Ogg Opus or PCM
 * WAV: decoded, down-mixed and resampled to the platform profile, optionally loudness-normalised,
 * and cut into independently decodable chunks for streaming. All codecs are wasm and load lazily.
 */
import { defineRule } from '../../src/rule/rule.js';
import type { Rule } from '../../src/rule/rule.js';
import { npmPackageIdentity, type ToolIdentities } from '../../src/rule/tool-identity.js';
import { cookAudio, type AudioCodecs } from './cook-audio.js';
import { AUDIO_OPTIONS, AUDIO_SETTINGS, type AudioOptions, type AudioPlatformSettings } from './options.js';

export { AUDIO_OPTIONS, AUDIO_SETTINGS, type AudioCodec, type AudioOptions, type AudioPlatformSettings } from './options.js';

export const NAME = 'audio';
export type { AudioCodecs } from './cook-audio.js';

export function audioRule(codecs: Partial<AudioCodecs> = {}): Rule<AudioOptions, AudioPlatformSettings> {
  return defineRule<AudioOptions, AudioPlatformSettings>({
    name: NAME,
    // 2: each chunk's Ogg serial depends on that chunk only (partial hot reload of edited chunks).
    version: 2,
    type: 'audio',
    description: 'WAV/FLAC/Ogg/MP3 → Ogg Vorbis, Ogg Opus or PCM WAV per platform, normalised, chunked for streaming',
    attributes: AUDIO_OPTIONS,
    platformSettings: AUDIO_SETTINGS,
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
    cook: (ctx) => cookAudio(ctx, codecs),
  });
}
