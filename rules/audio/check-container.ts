/**
 * Container sanity checks that run before decoding. Decoders are forgiving: a WAV cut in half or
 * an Ogg file missing its last pages decodes "fine" to a shorter clip. A cooker should instead
 * stop and say the source is damaged, so each format's framing is checked here.
 */
import { isCompleteOgg } from './read-ogg-pages.js';

export type SourceFormat = 'wav' | 'flac' | 'ogg' | 'mp3' | 'unknown';

export function sniffFormat(bytes: Uint8Array): SourceFormat {
  const tag = String.fromCharCode(...bytes.subarray(0, 4));
  if (tag === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WAVE') return 'wav';
  if (tag === 'fLaC') return 'flac';
  if (tag === 'OggS') return 'ogg';
  if (tag.startsWith('ID3') || findMpegFrame(bytes, 0) === 0) return 'mp3';
  return 'unknown';
}

/** Returns a reason the file is damaged, or undefined when its framing is intact. */
export function checkContainer(bytes: Uint8Array, format: SourceFormat): string | undefined {
  switch (format) {
    case 'wav':
      return checkWav(bytes);
    case 'ogg': {
      const result = isCompleteOgg(bytes);
      return result.ok ? undefined : result.reason;
    }
    case 'mp3':
      return checkMp3(bytes);
    case 'flac':
      return bytes.length < 42 ? 'FLAC file too short for its STREAMINFO block' : undefined;
    default:
      return undefined;
  }
}

/** FLAC's STREAMINFO total sample count (0 = unknown), to compare with what the decoder returned. */
export function flacTotalSamples(bytes: Uint8Array): number {
  if (bytes.length < 42) return 0;
  // STREAMINFO starts at byte 8; total samples are the low 36 bits of bytes 21..25.
  const high = bytes[21]! & 0x0f;
  const low = ((bytes[22]! << 24) | (bytes[23]! << 16) | (bytes[24]! << 8) | bytes[25]!) >>> 0;
  return high * 2 ** 32 + low;
}

/**
 * WAV framing and the `fmt ` fields decoders trust blindly: a sample rate of 0xFFFFFFFF, zero
 * channels or a block size that disagrees with them would make the resampler or the chunk
 * writer size buffers from nonsense. Every declared chunk size must fit the file.
 */
function checkWav(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let sawFmt = false;
  while (offset + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    const available = bytes.length - offset - 8;
    if (id === 'fmt ') {
      if (size > available) return `WAV fmt chunk declares ${size} bytes but only ${available} are present (truncated)`;
      const problem = checkWavFormat(view, offset + 8, size);
      if (problem) return problem;
      sawFmt = true;
    }
    if (id === 'data') {
      if (!sawFmt) return 'WAV data chunk comes before its fmt chunk';
      if (size > available) return `WAV data chunk declares ${size} bytes but only ${available} are present (truncated)`;
      return undefined;
    }
    if (size > available) return `WAV chunk "${id.replace(/[^\x20-\x7e]/g, '?')}" declares ${size} bytes but only ${available} are present (truncated)`;
    offset += 8 + size + (size & 1);
  }
  return sawFmt ? 'WAV file has no data chunk (truncated?)' : 'WAV file has no fmt chunk';
}

/** Highest sample rate accepted: 768 kHz, beyond any audio interface. */
const MAX_WAV_RATE = 768_000;

function checkWavFormat(view: DataView, at: number, size: number): string | undefined {
  if (size < 16) return `WAV fmt chunk is ${size} bytes, at least 16 expected`;
  const formatTag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const rate = view.getUint32(at + 4, true);
  // The byte rate at +8 is informational and often wrong in files from sloppy writers: not checked.
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (channels < 1 || channels > 32) return `WAV declares ${channels} channels (1…32 expected)`;
  if (rate < 1 || rate > MAX_WAV_RATE) return `WAV declares a sample rate of ${rate} Hz (1…${MAX_WAV_RATE} expected)`;
  // 0xFFFE (WAVE_FORMAT_EXTENSIBLE) carries the real format further on; sizes still apply.
  if (formatTag !== 0xfffe && ![8, 16, 24, 32, 64].includes(bits)) return `WAV declares ${bits} bits per sample (8, 16, 24, 32 or 64 expected)`;
  if (bits % 8 === 0 && blockAlign !== channels * (bits / 8)) return `WAV block size ${blockAlign} does not match ${channels} channel(s) of ${bits} bits`;
  return undefined;
}

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES = [44100, 48000, 32000];

/** Length in bytes of the MPEG audio (Layer III) frame at `offset`, or 0 when there is none. */
function mpegFrameLength(bytes: Uint8Array, offset: number): number {
  if (offset + 4 > bytes.length) return 0;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return 0;
  const version = (b1 >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = (b1 >> 1) & 3; // 1 = Layer III
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return 0;
  const mpeg1 = version === 3;
  const bitrate = (mpeg1 ? BITRATES_V1_L3 : BITRATES_V2_L3)[bitrateIndex]! * 1000;
  const rate = RATES[rateIndex]! / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const padding = (b2 >> 1) & 1;
  return Math.floor(((mpeg1 ? 144 : 72) * bitrate) / rate) + padding;
}

function findMpegFrame(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= bytes.length && i < from + 4096; i++) {
    const length = mpegFrameLength(bytes, i);
    if (length > 0 && (i + length === bytes.length || mpegFrameLength(bytes, i + length) > 0)) return i;
  }
  return -1;
}

function checkMp3(bytes: Uint8Array): string | undefined {
  let offset = 0;
  if (String.fromCharCode(...bytes.subarray(0, 3)) === 'ID3' && bytes.length >= 10) {
    const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    offset = 10 + size;
  }
  offset = findMpegFrame(bytes, offset);
  if (offset < 0) return 'no MPEG audio frame found';
  let end = bytes.length;
  if (end >= 128 && String.fromCharCode(...bytes.subarray(end - 128, end - 125)) === 'TAG') end -= 128;
  let frames = 0;
  while (offset < end) {
    const length = mpegFrameLength(bytes, offset);
    if (length === 0) break; // trailing junk or an APE tag: tolerated, the frames so far are intact
    if (offset + length > end) return `the last MP3 frame (byte ${offset}) is cut short after ${end - offset} of ${length} bytes (truncated)`;
    offset += length;
    frames++;
  }
  return frames === 0 ? 'no complete MP3 frame' : undefined;
}
