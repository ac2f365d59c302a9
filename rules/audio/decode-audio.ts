/**
 * Source bytes → planar float PCM, with every way a source can be broken turned into a RuleError
 * that names the file. One decoder package per accepted format (@audio/decode-wav, -flac, -mp3,
 * -vorbis: pure JS / wasm), each loaded on first use only — not audio-decode, which pulls in 22
 * decoders for formats kiln refuses anyway. Measured on the corpus: the same samples, bit for bit,
 * and faster (country.mp3 842 vs 1498 ms, target.ogg 58 vs 300 ms, target.flac 208 vs 320 ms).
 */
import { RuleError } from '../../src/rule/rule-error.js';
import { checkContainer, flacTotalSamples, sniffFormat, type SourceFormat } from './check-container.js';

export interface PcmAudio {
  channelData: Float32Array[];
  sampleRate: number;
}
export type AudioDecoder = (bytes: Uint8Array) => Promise<PcmAudio>;

type WholeFileDecoder = (bytes: Uint8Array) => PcmAudio | Promise<PcmAudio>;

const PACKAGES: Record<Exclude<SourceFormat, 'unknown'>, string> = {
  wav: '@audio/decode-wav',
  flac: '@audio/decode-flac',
  ogg: '@audio/decode-vorbis',
  mp3: '@audio/decode-mp3',
};

/** The MP3 decoder upmixes a mono stream to two identical channels: give it back as mono. */
function collapseDualMono(pcm: PcmAudio): PcmAudio {
  const [a, b] = pcm.channelData;
  if (pcm.channelData.length !== 2 || !a || !b || a.length !== b.length) return pcm;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return pcm;
  return { channelData: [a], sampleRate: pcm.sampleRate };
}

function isOggOpus(bytes: Uint8Array): boolean {
  return String.fromCharCode(...bytes.subarray(28, 36)) === 'OpusHead';
}

export async function loadAudioDecoder(): Promise<AudioDecoder> {
  const loaded = new Map<string, Promise<WholeFileDecoder>>();
  const load = (pkg: string) => {
    let pending = loaded.get(pkg);
    if (!pending) loaded.set(pkg, (pending = import(pkg).then((m: { default: WholeFileDecoder }) => m.default)));
    return pending;
  };
  return async (bytes) => {
    const format = sniffFormat(bytes);
    if (format === 'unknown') throw new Error('not a WAV, FLAC, Ogg Vorbis or MP3 file');
    if (format === 'ogg' && isOggOpus(bytes)) throw new Error('Ogg Opus sources are not accepted (use WAV, FLAC, Ogg Vorbis or MP3)');
    const decode = await load(PACKAGES[format]);
    const { channelData, sampleRate } = await decode(bytes);
    const pcm = { channelData: [...channelData], sampleRate };
    return format === 'mp3' ? collapseDualMono(pcm) : pcm;
  };
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
