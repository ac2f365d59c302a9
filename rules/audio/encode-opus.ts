/**
 * PCM → Ogg Opus (RFC 7845). opusscript gives raw packets only, so this writes the container:
 * an OpusHead page, an OpusTags page, then audio pages whose granule positions count 48 kHz
 * samples including the pre-skip, with the last page trimmed to the real length.
 */
import { PAGE_BOS, PAGE_EOS, lacingCount, writeOggPage } from './ogg-pages.js';

/** The opusscript constructor, injectable so tests and other runtimes can pass their own build. */
export interface OpusEncoderLike {
  /** `pcm`: interleaved 16-bit little-endian samples as bytes (opusscript copies them byte by byte). */
  encode(pcm: Uint8Array, frameSize: number): Uint8Array;
  encoderCTL(ctl: number, arg: number): void;
  delete(): void;
}
interface OpusNative {
  encode(pcm: Buffer, frameSize: number): Uint8Array;
  encoderCTL(ctl: number, arg: number): void;
  delete(): void;
}
export type OpusEncoderFactory = (sampleRate: 48000, channels: number) => OpusEncoderLike;

export const OPUS_RATE = 48000;
/** 20 ms, the frame size libopus is tuned for. */
const FRAME = 960;
/**
 * Encoder lookahead for the AUDIO application at 48 kHz (2.5 ms + 4 ms delay compensation).
 * opusscript cannot return values from CTLs, so OPUS_GET_LOOKAHEAD is not reachable; the value is
 * fixed by libopus for this application and rate.
 */
export const OPUS_PRE_SKIP = 312;
/** About one second of audio per page keeps the seek granularity fine and the overhead small. */
const PACKETS_PER_PAGE = 50;
const OPUS_SET_BITRATE = 4002;
const OPUS_SET_COMPLEXITY = 4010;
const OPUS_SET_VBR = 4006;

export interface OpusStreamOptions {
  bitrateKbps: number;
  serial: number;
  /** Sample rate of the source before resampling, written to OpusHead for information. */
  inputSampleRate: number;
}

export async function loadOpusScript(): Promise<OpusEncoderFactory> {
  const mod = (await import('opusscript')) as unknown as { default: new (rate: number, channels: number, app: number) => OpusNative };
  const OpusScript = mod.default;
  return (rate, channels) => {
    const native = new OpusScript(rate, channels, 2049 /* OPUS_APPLICATION_AUDIO */);
    return {
      // Its encode() wants a Node Buffer; a Buffer over the same bytes costs no copy.
      encode: (pcm, frameSize) => native.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), frameSize),
      encoderCTL: (ctl, arg) => native.encoderCTL(ctl, arg),
      delete: () => native.delete(),
    };
  };
}

/** `channels` must be at 48 kHz; the result is one complete, independently decodable Ogg stream. */
export function encodeOggOpus(factory: OpusEncoderFactory, channels: readonly Float32Array[], options: OpusStreamOptions): Uint8Array {
  const count = channels.length;
  const frames = channels[0]?.length ?? 0;
  const encoder = factory(OPUS_RATE, count);
  const packets: Uint8Array[] = [];
  try {
    encoder.encoderCTL(OPUS_SET_BITRATE, Math.round(options.bitrateKbps * 1000));
    encoder.encoderCTL(OPUS_SET_COMPLEXITY, 10);
    encoder.encoderCTL(OPUS_SET_VBR, 1);
    // The decoder drops OPUS_PRE_SKIP samples, so pad the tail enough to flush the lookahead too.
    const total = frames + OPUS_PRE_SKIP;
    const pcm = new Int16Array(FRAME * count);
    const pcmBytes = new Uint8Array(pcm.buffer);
    for (let start = 0; start < total; start += FRAME) {
      pcm.fill(0);
      for (let i = 0; i < FRAME; i++) {
        const at = start + i;
        if (at >= frames) break;
        for (let c = 0; c < count; c++) pcm[i * count + c] = toInt16(channels[c]![at]!);
      }
      // opusscript returns a view of its wasm heap that the next call overwrites.
      packets.push(Uint8Array.from(encoder.encode(pcmBytes, FRAME)));
    }
  } finally {
    encoder.delete();
  }
  return containOpus(packets, count, frames, options);
}

function containOpus(packets: Uint8Array[], channelCount: number, frames: number, options: OpusStreamOptions): Uint8Array {
  const pages: Uint8Array[] = [];
  let sequence = 0;
  const serial = options.serial;
  pages.push(writeOggPage({ flags: PAGE_BOS, granule: 0n, serial, sequence: sequence++, packets: [opusHead(channelCount, options.inputSampleRate)] }));
  pages.push(writeOggPage({ flags: 0, granule: 0n, serial, sequence: sequence++, packets: [opusTags()] }));
  const end = BigInt(OPUS_PRE_SKIP + frames);
  let index = 0;
  while (index < packets.length) {
    const page: Uint8Array[] = [];
    let lacing = 0;
    while (index < packets.length && page.length < PACKETS_PER_PAGE && lacing + lacingCount(packets[index]!) <= 255) {
      lacing += lacingCount(packets[index]!);
      page.push(packets[index++]!);
    }
    const last = index === packets.length;
    const granule = last ? end : BigInt(index * FRAME);
    pages.push(writeOggPage({ flags: last ? PAGE_EOS : 0, granule: granule < end ? granule : end, serial, sequence: sequence++, packets: page }));
  }
  return concat(pages);
}

function opusHead(channels: number, inputSampleRate: number): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode('OpusHead'), 0);
  head[8] = 1; // version
  head[9] = channels;
  view.setUint16(10, OPUS_PRE_SKIP, true);
  view.setUint32(12, inputSampleRate, true);
  view.setInt16(16, 0, true); // output gain
  head[18] = 0; // mapping family 0: mono or stereo, no table
  return head;
}

function opusTags(): Uint8Array {
  // A fixed vendor string: the bytes must not change with the library build.
  const vendor = new TextEncoder().encode('kiln');
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  const view = new DataView(tags.buffer);
  tags.set(new TextEncoder().encode('OpusTags'), 0);
  view.setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  view.setUint32(12 + vendor.length, 0, true);
  return tags;
}

function toInt16(sample: number): number {
  const clamped = sample > 1 ? 1 : sample < -1 ? -1 : sample;
  return Math.round(clamped * 32767);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
