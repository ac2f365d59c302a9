/**
 * PCM → Ogg Vorbis through wasm-media-encoders (libvorbis in wasm). Its encode/finalize results
 * are views into wasm memory that the next call reuses, so every piece is copied out.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export interface VorbisEncoderLike {
  configure(params: { channels: 1 | 2; sampleRate: number; vbrQuality?: number; oggSerialNo?: number }): void;
  encode(samples: readonly Float32Array[]): Uint8Array;
  finalize(): Uint8Array;
}
export type VorbisEncoderFactory = () => Promise<VorbisEncoderLike>;

/**
 * libvorbis compiled once per thread. createOggEncoder() compiles the library's inlined copy of
 * the wasm on every call (fetching its data: URL through undici first), and a fresh module starts
 * in V8's baseline tier again, so every cook paid the compile and re-ran its hot loops unoptimised
 * while the background compiler optimised them once more.
 */
let compiled: Promise<WebAssembly.Module> | undefined;

function compileLibvorbis(): Promise<WebAssembly.Module> {
  compiled ??= readFile(createRequire(import.meta.url).resolve('wasm-media-encoders/wasm/ogg.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

export async function loadVorbisEncoder(): Promise<VorbisEncoderFactory> {
  const [{ createEncoder }, module] = await Promise.all([import('wasm-media-encoders'), compileLibvorbis()]);
  return () => createEncoder('audio/ogg', module);
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
