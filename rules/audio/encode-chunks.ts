/**
 * Encodes PCM as one stream, or as fixed-duration chunks that each decode on their own. Chunks
 * are complete streams laid end to end: for Ogg this is a chained Ogg file (RFC 3533 §4), which
 * ordinary players read straight through, while the runtime can fetch any chunk's byte range and
 * decode it alone. For WAV each chunk is a small WAV file of its own.
 */
import type { PartLayout } from '../../src/rule/output.js';
import { concat, encodeOggOpus, type OpusEncoderFactory } from './encode-opus.js';
import { encodeOggVorbis, type VorbisEncoderFactory } from './encode-vorbis.js';
import { encodeWav } from './encode-wav.js';
import type { AudioCodec } from './resolve-profile.js';

export interface AudioEncoders {
  vorbis(): Promise<VorbisEncoderFactory>;
  opus(): Promise<OpusEncoderFactory>;
}

export interface EncodeSettings {
  codec: AudioCodec;
  sampleRate: number;
  sourceSampleRate: number;
  quality: number;
  bitrateKbps: number;
  /** 0 = one stream. */
  chunkFrames: number;
}

export interface EncodedAudio {
  bytes: Uint8Array;
  parts: PartLayout[];
  /** PCM frames in each chunk, in order (one entry when not chunked). */
  chunkFrames: number[];
}

export async function encodeChunks(encoders: AudioEncoders, channels: readonly Float32Array[], settings: EncodeSettings): Promise<EncodedAudio> {
  const frames = channels[0]?.length ?? 0;
  const size = settings.chunkFrames > 0 ? settings.chunkFrames : frames;
  const pieces: Uint8Array[] = [];
  const parts: PartLayout[] = [];
  const chunkFrames: number[] = [];
  const vorbisFactory = settings.codec === 'vorbis' ? await encoders.vorbis() : undefined;
  // One libvorbis instance serves every chunk: configure() after finalize() starts a fresh stream
  // (bytes identical to a new instance) and skips re-instantiating the wasm module per chunk.
  const shared = vorbisFactory ? await vorbisFactory() : undefined;
  const vorbis = shared ? async () => shared : undefined;
  const opus = settings.codec === 'opus' ? await encoders.opus() : undefined;
  const used = new Set<number>();
  let offset = 0;
  for (let start = 0, index = 0; start < frames; start += size, index++) {
    const slice = channels.map((c) => c.subarray(start, Math.min(frames, start + size)));
    // Each chunk's serial follows that chunk's own PCM (and its index), so an edit at the end of a
    // clip changes only the chunks it touches and a hot reload refetches only those. Chained Ogg
    // streams must not share serial numbers; wasm-media-encoders takes a signed 32-bit serial and
    // clamps larger ones, so stay below 2^31.
    const serial = chunkSerial(slice, index, used);
    let bytes: Uint8Array;
    if (vorbis) bytes = await encodeOggVorbis(vorbis, slice, { sampleRate: settings.sampleRate, quality: settings.quality, serial });
    else if (opus) bytes = encodeOggOpus(opus, slice, { bitrateKbps: settings.bitrateKbps, serial, inputSampleRate: settings.sourceSampleRate });
    else bytes = encodeWav(slice, settings.sampleRate);
    pieces.push(bytes);
    parts.push({ kind: 'chunk', index, offset, size: bytes.length });
    chunkFrames.push(slice[0]!.length);
    offset += bytes.length;
  }
  return { bytes: concat(pieces), parts, chunkFrames };
}

/** A serial from the chunk's content and index, distinct from the serials before it (deterministic). */
export function chunkSerial(slice: readonly Float32Array[], index: number, used: Set<number>): number {
  let serial = ((contentSerial(slice) ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0) & 0x7fffffff;
  while (used.has(serial)) serial = (serial + 1) & 0x7fffffff;
  used.add(serial);
  return serial;
}

/** FNV-1a over the quantised PCM: a serial number that follows the content, not the clock. */
export function contentSerial(channels: readonly Float32Array[]): number {
  let hash = 0x811c9dc5;
  for (const channel of channels) {
    const step = Math.max(1, Math.floor(channel.length / 4096));
    for (let i = 0; i < channel.length; i += step) {
      hash ^= Math.round(channel[i]! * 32767) & 0xffff;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash >>> 0;
}
