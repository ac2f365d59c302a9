/**
 * Source bytes → planar float PCM, with every way a source can be broken turned into a RuleError
 * that names the file. audio-decode (wasm decoders) is loaded on first use only.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import { checkContainer, flacTotalSamples, sniffFormat, type SourceFormat } from './check-container.js';

export interface PcmAudio {
  channelData: Float32Array[];
  sampleRate: number;
}
export type AudioDecoder = (bytes: Uint8Array) => Promise<PcmAudio>;

export async function loadAudioDecoder(): Promise<AudioDecoder> {
  const { default: decode } = await import('audio-decode');
  return (bytes) => decode(bytes);
}

export interface DecodedSource extends PcmAudio {
  format: SourceFormat;
}

export async function decodeSource(decode: AudioDecoder, bytes: Uint8Array, file: string): Promise<DecodedSource> {
  const format = sniffFormat(bytes);
  if (format === 'unknown') throw new RuleError('not a WAV, FLAC, Ogg Vorbis or MP3 file (unrecognised header)', { file });
  const damage = checkContainer(bytes, format);
  if (damage) throw new RuleError(`corrupt ${format.toUpperCase()} source: ${damage}`, { file });
  let pcm: PcmAudio;
  try {
    // Decoders may keep a reference to the buffer; give them a private copy.
    pcm = await decode(bytes.slice());
  } catch (error) {
    throw new RuleError(`cannot decode ${format.toUpperCase()} source: ${(error as Error).message}`, { file });
  }
  const frames = pcm.channelData[0]?.length ?? 0;
  if (frames === 0 || !(pcm.sampleRate > 0)) throw new RuleError(`the ${format.toUpperCase()} source decoded to no audio`, { file });
  if (format === 'flac') {
    const declared = flacTotalSamples(bytes);
    if (declared > 0 && frames < declared) {
      throw new RuleError(`corrupt FLAC source: STREAMINFO declares ${declared} samples but only ${frames} decode (truncated)`, { file });
    }
  }
  for (const channel of pcm.channelData) {
    for (let i = 0; i < channel.length; i++) {
      if (!Number.isFinite(channel[i]!)) throw new RuleError(`the ${format.toUpperCase()} source decoded to non-finite samples`, { file });
    }
  }
  return { ...pcm, format };
}
