/**
 * The effective encoding settings for one target on one platform. Precedence, most specific first:
 * the target's attributes (including its `platforms:` overrides), then the platform profile in the
 * root assets.yaml, whose schema defaults the engine has already applied.
 */
import type { AudioCodec, AudioOptions, AudioPlatformSettings } from './options.js';
export type { AudioCodec } from './options.js';


export interface AudioProfile {
  codec: AudioCodec;
  /** 0 keeps the source rate. Opus always encodes at 48 kHz regardless. */
  sampleRate: number;
  /** 0 keeps the source channel count (capped at 2). */
  channels: number;
  quality: number;
  bitrateKbps: number;
  /** Clips at most this long become PCM WAV whatever the codec says. */
  pcmBelowSeconds: number;
  chunkSeconds: number;
  normalize: boolean;
  targetLufs: number;
  peakCeilingDb: number;
  maxDurationSeconds: number;
  maxSizeKb: number;
}

export function resolveProfile(attrs: Readonly<AudioOptions>, platform: Readonly<AudioPlatformSettings>): AudioProfile {
  return {
    codec: attrs.codec ?? platform.codec,
    sampleRate: attrs.sample_rate ?? platform.sample_rate,
    channels: attrs.channels ?? platform.channels,
    quality: attrs.quality ?? platform.quality,
    bitrateKbps: attrs.bitrate_kbps ?? platform.bitrate_kbps,
    pcmBelowSeconds: attrs.pcm_below_seconds ?? platform.pcm_below_seconds,
    chunkSeconds: attrs.chunk_seconds ?? platform.chunk_seconds,
    normalize: attrs.normalize,
    targetLufs: attrs.target_lufs ?? platform.target_lufs,
    peakCeilingDb: attrs.peak_ceiling_db,
    maxDurationSeconds: platform.max_duration_seconds,
    maxSizeKb: platform.max_size_kb,
  };
}
