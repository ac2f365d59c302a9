/** What an audio clip's output carries; its chunks are the output's parts. */
import { meta, readSpec, type MetaOf } from './meta-spec.js';

export const AUDIO_META = {
  codec: meta.literal('opus', 'vorbis', 'wav'),
  container: meta.literal('ogg', 'wav', 'wav-segments'),
  sampleRate: meta.int,
  channels: meta.int,
  frames: meta.int,
  durationSeconds: meta.number,
  /** Target chunk length (0 = one piece), and each chunk's real length in frames. */
  chunkSeconds: meta.number,
  chunkFrames: meta.list(meta.int),
  gainDb: meta.number,
};
export type AudioMeta = MetaOf<typeof AUDIO_META>;

export function readAudioMeta(value: unknown, where: string): AudioMeta {
  return readSpec(AUDIO_META, value, where);
}
