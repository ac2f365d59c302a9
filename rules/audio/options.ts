/** The `audio` rule's options and platform settings: a leaf, so cook files and index.ts both import it. */

/** The encoders the audio rule can write. */
export type AudioCodec = 'vorbis' | 'opus' | 'wav';

export interface AudioOptions {
  /** Output codec; overrides the platform's. `wav` is 16-bit PCM. */
  codec?: AudioCodec;
  /** Output sample rate in Hz; 0 keeps the source rate. Ignored by Opus, which is always 48 kHz. */
  sample_rate?: number;
  /** Output channels (1 or 2); 0 keeps the source's, capped at stereo. */
  channels?: number;
  /** Vorbis VBR quality from -1 (smallest) to 10 (best). */
  quality?: number;
  /** Opus target bitrate in kbit/s. */
  bitrate_kbps?: number;
  /** Clips no longer than this (seconds) are stored as PCM WAV whatever the codec: no decode cost for short effects. */
  pcm_below_seconds?: number;
  /** Cut audio longer than this into chunks of this many seconds, each decodable alone; 0 = one stream. */
  chunk_seconds?: number;
  /** Normalise integrated loudness (BS.1770) to `target_lufs`, never pushing the peak above `peak_ceiling_db`. */
  normalize?: boolean;
  /** Loudness target for `normalize`, in LUFS. */
  target_lufs?: number;
  /** Highest sample peak normalisation may produce, in dBFS. */
  peak_ceiling_db?: number;
}

/** `rules.audio` / `platforms.<name>.audio` in the root assets.yaml. */
export interface AudioPlatformSettings {
  /** Default codec on this platform. */
  codec?: AudioCodec;
  /** Default output sample rate; 0 keeps the source rate. */
  sample_rate?: number;
  /** Default output channel count; 0 keeps the source's. */
  channels?: number;
  /** Default Vorbis quality. */
  quality?: number;
  /** Default Opus bitrate in kbit/s. */
  bitrate_kbps?: number;
  /** Default PCM threshold for short effects, in seconds. */
  pcm_below_seconds?: number;
  /** Default chunk length for streaming, in seconds (0 = off). */
  chunk_seconds?: number;
  /** Default loudness target in LUFS. */
  target_lufs?: number;
  /** Validator: longest allowed clip in seconds (0 = no limit). An error when exceeded. */
  max_duration_seconds?: number;
  /** Validator: largest allowed cooked output in KiB (0 = no limit). An error when exceeded. */
  max_size_kb?: number;
}
