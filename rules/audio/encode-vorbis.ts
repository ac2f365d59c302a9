/**
 * PCM → Ogg Vorbis through wasm-media-encoders (libvorbis in wasm). Its encode/finalize results
 * are views into wasm memory that the next call reuses, so every piece is copied out.
 */

export interface VorbisEncoderLike {
  configure(params: { channels: 1 | 2; sampleRate: number; vbrQuality?: number; oggSerialNo?: number }): void;
  encode(samples: readonly Float32Array[]): Uint8Array;
  finalize(): Uint8Array;
}
export type VorbisEncoderFactory = () => Promise<VorbisEncoderLike>;

export async function loadVorbisEncoder(): Promise<VorbisEncoderFactory> {
  const { createOggEncoder } = await import('wasm-media-encoders');
  return () => createOggEncoder();
}

export interface VorbisStreamOptions {
  sampleRate: number;
  /** libvorbis VBR quality, -1 (smallest) to 10 (best). */
  quality: number;
  /** Fixed so the same input gives the same bytes (the library would otherwise pick one at random). */
  serial: number;
}

/** Feeding in slices keeps the wasm heap small for long music. */
const BLOCK = 65536;

export async function encodeOggVorbis(factory: VorbisEncoderFactory, channels: readonly Float32Array[], options: VorbisStreamOptions): Promise<Uint8Array> {
  const encoder = await factory();
  encoder.configure({
    channels: channels.length as 1 | 2,
    sampleRate: options.sampleRate,
    vbrQuality: options.quality,
    oggSerialNo: options.serial,
  });
  const pieces: Uint8Array[] = [];
  const frames = channels[0]?.length ?? 0;
  for (let start = 0; start < frames; start += BLOCK) {
    const piece = encoder.encode(channels.map((c) => c.subarray(start, Math.min(frames, start + BLOCK))));
    if (piece.length > 0) pieces.push(piece.slice());
  }
  pieces.push(encoder.finalize().slice());
  const out = new Uint8Array(pieces.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
