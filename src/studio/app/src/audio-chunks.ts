/**
 * Split a cooked sound into its streaming chunks, from the bytes alone (a build summary does not
 * carry the output's `parts`): a chained Ogg file starts a chunk at every beginning-of-stream
 * page, a segmented WAV is WAV files end to end. Each piece decodes on its own (see the audio
 * rule), so the page gives each its own player. Anything malformed yields the whole file.
 */
export function audioChunks(bytes: Uint8Array): Uint8Array[] {
  const ascii = (at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts: number[] = [];
  if (ascii(0, 'OggS')) {
    for (let at = 0; at < bytes.length; ) {
      if (at + 27 > bytes.length || !ascii(at, 'OggS')) return [bytes];
      const segments = bytes[at + 26]!;
      if (at + 27 + segments > bytes.length) return [bytes];
      let body = 0;
      for (let i = 0; i < segments; i++) body += bytes[at + 27 + i]!;
      if ((bytes[at + 5]! & 0x02) !== 0) starts.push(at);
      at += 27 + segments + body;
      if (at > bytes.length) return [bytes];
    }
  } else if (ascii(0, 'RIFF')) {
    for (let at = 0; at < bytes.length; ) {
      if (at + 8 > bytes.length || !ascii(at, 'RIFF')) return [bytes];
      starts.push(at);
      at += 8 + view.getUint32(at + 4, true);
      if (at > bytes.length) return [bytes];
    }
  } else return [bytes];
  if (starts.length === 0) return [bytes];
  return starts.map((start, i) => bytes.subarray(start, starts[i + 1] ?? bytes.length));
}
