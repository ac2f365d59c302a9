/**
 * Decoded source → the PCM that gets encoded: channel count and sample rate for the platform,
 * then loudness normalisation, capped so the gain never pushes the peak above the ceiling.
 */
import { measureLevels, type Levels } from './measure-loudness.js';
import { mixChannels } from './mix-channels.js';
import { resample } from './resample.js';
import type { AudioProfile } from './resolve-profile.js';
import { OPUS_RATE } from './encode-opus.js';

export interface PreparedPcm {
  channels: Float32Array[];
  sampleRate: number;
  /** Gain applied by normalisation, in dB (0 when off). */
  gainDb: number;
  levels: Levels;
}

export function preparePcm(source: { channelData: Float32Array[]; sampleRate: number }, profile: AudioProfile, codec: AudioProfile['codec']): PreparedPcm {
  const targetChannels = Math.min(2, profile.channels || source.channelData.length);
  let channels = mixChannels(source.channelData, targetChannels);
  const sampleRate = codec === 'opus' ? OPUS_RATE : profile.sampleRate || source.sampleRate;
  channels = channels.map((c) => resample(c, source.sampleRate, sampleRate));
  let levels = measureLevels(channels, sampleRate);
  let gainDb = 0;
  if (profile.normalize && Number.isFinite(levels.loudnessLufs)) {
    gainDb = Math.min(profile.targetLufs - levels.loudnessLufs, profile.peakCeilingDb - levels.peakDb);
    const gain = 10 ** (gainDb / 20);
    // Copy before scaling: an up-mixed mono source shares one array between both channels.
    channels = channels.map((c) => c.map((v) => v * gain));
    levels = measureLevels(channels, sampleRate);
  }
  return { channels, sampleRate, gainDb, levels };
}
