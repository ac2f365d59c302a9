import { readFileSync } from 'node:fs';
import decodeWithAudioDecode from 'audio-decode';
import { describe, expect, it } from 'vitest';
import { loadAudioDecoder } from '../../../rules/audio/decode-audio.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/audio/${name}`, import.meta.url)));

describe('audio source decoding', () => {
  // kiln decodes with one narrow package per format; audio-decode (22 decoders) stays a test peer.
  for (const name of ['coin.wav', 'spring.wav', 'target.flac', 'target.ogg', 'country-6s.mp3']) {
    it(`decodes ${name} to the same samples as audio-decode`, async () => {
      const decode = await loadAudioDecoder();
      const ours = await decode(fixture(name));
      const theirs = await decodeWithAudioDecode(fixture(name));
      expect(ours.sampleRate).toBe(theirs.sampleRate);
      expect(ours.channelData.length).toBe(theirs.channelData.length);
      for (const [i, channel] of ours.channelData.entries()) expect(Buffer.from(channel.buffer, channel.byteOffset, channel.byteLength).equals(Buffer.from(theirs.channelData[i]!.buffer, theirs.channelData[i]!.byteOffset, theirs.channelData[i]!.byteLength))).toBe(true);
    });
  }

  it('refuses a file that is none of the four formats', async () => {
    const decode = await loadAudioDecoder();
    await expect(decode(new TextEncoder().encode('not audio at all'))).rejects.toThrow(/not a WAV, FLAC, Ogg Vorbis or MP3/);
  });
});
