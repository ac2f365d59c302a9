/**
 * The `audio` rule's options and platform settings, each declared once (schema, default,
 * description; types inferred). A target attribute without a default defers to the platform's
 * setting of the same name, which has one. A leaf: cook files and index.ts import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

/** The encoders the audio rule can write. */
export const AUDIO_CODECS = ['vorbis', 'opus', 'wav'] as const;
export type AudioCodec = (typeof AUDIO_CODECS)[number];

export const AUDIO_OPTIONS = s.object({
  // `wav` is 16-bit PCM.
  codec: s.enum(AUDIO_CODECS).describe('output codec (overrides the platform)'),
  // Ignored by Opus, which is always 48 kHz.
  sample_rate: s.integer({ min: 0, max: 192000 }).describe('output sample rate in Hz, 0 = source rate'),
  channels: s.integer({ min: 0, max: 2 }).describe('output channels, 0 = source'),
  quality: s.number({ min: -1, max: 10 }).describe('Vorbis VBR quality, -1..10'),
  bitrate_kbps: s.integer({ min: 6, max: 510 }).describe('Opus bitrate in kbit/s'),
  // No decode cost for short effects.
  pcm_below_seconds: s.number({ min: 0 }).describe('store clips this short as PCM WAV'),
  // Each chunk decodes alone.
  chunk_seconds: s.number({ min: 0 }).describe('chunk length for streaming, 0 = off'),
  // BS.1770 integrated loudness, never pushing the peak above peak_ceiling_db.
  normalize: s.boolean().default(false).describe('normalise loudness to target_lufs'),
  target_lufs: s.number({ min: -70, max: 0 }).describe('loudness target in LUFS'),
  peak_ceiling_db: s.number({ max: 0 }).default(-1).describe('highest peak after normalisation, dBFS'),
});
export type AudioOptions = Infer<typeof AUDIO_OPTIONS>;

/** `rules.audio` / `platforms.<name>.audio` in the root assets.yaml. */
export const AUDIO_SETTINGS = s.object({
  codec: s.enum(AUDIO_CODECS).default('vorbis').describe('default codec on this platform'),
  sample_rate: s.integer({ min: 0, max: 192000 }).default(0).describe('default output sample rate, 0 = source rate'),
  channels: s.integer({ min: 0, max: 2 }).default(0).describe('default output channels, 0 = source'),
  quality: s.number({ min: -1, max: 10 }).default(4).describe('default Vorbis quality'),
  bitrate_kbps: s.integer({ min: 6, max: 510 }).default(96).describe('default Opus bitrate in kbit/s'),
  pcm_below_seconds: s.number({ min: 0 }).default(0).describe('default PCM threshold for short effects, seconds'),
  chunk_seconds: s.number({ min: 0 }).default(0).describe('default chunk length for streaming, 0 = off'),
  target_lufs: s.number({ min: -70, max: 0 }).default(-16).describe('default loudness target in LUFS'),
  // Validators: an error when exceeded.
  max_duration_seconds: s.number({ min: 0 }).default(0).describe('longest allowed clip in seconds, 0 = no limit'),
  max_size_kb: s.number({ min: 0 }).default(0).describe('largest cooked output in KiB, 0 = no limit'),
});
export type AudioPlatformSettings = Infer<typeof AUDIO_SETTINGS>;
