import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { planTar, writeTar, type TarInput } from '../../src/bundle/tar-writer.js';
import { walkTar } from '../../src/bundle/tar-walk.js';

/** The same entries through tar-stream, with the header fields kiln always writes. */
async function packWithTarStream(entries: readonly TarInput[]): Promise<Uint8Array> {
  const pack = tar.pack();
  for (const entry of entries) {
    const header: tar.Headers = { name: entry.name, size: entry.data.byteLength, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', type: 'file' };
    if (entry.padding !== undefined) header.pax = { comment: 'x'.repeat(entry.padding) };
    pack.entry(header, Buffer.from(entry.data));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

const ENTRIES: TarInput[] = [
  { name: 'kiln-index.json', data: bytes(700, 1) },
  { name: 'levels/forest/bark.ktx2', data: bytes(512, 2), padding: 37 },
  { name: 'empty.bin', data: new Uint8Array(0) },
  { name: `${'deep/'.repeat(30)}file.bin`, data: bytes(1, 3) },
  { name: `${'x'.repeat(120)}.bin`, data: bytes(1025, 4) },
  { name: 'levels/forêt/écorce.ktx2', data: bytes(3, 5) },
  { name: 'ui/日本語/アイコン.png', data: bytes(600, 6), padding: 0 },
];

describe('tar writer', () => {
  it('writes the same bytes tar-stream wrote (ustar names, prefix splits, PAX paths and comments)', async () => {
    expect(await writeTar(ENTRIES)).toEqual(await packWithTarStream(ENTRIES));
  });

  it('puts each entry where planTar said, and any tar reader sees the original names and data', async () => {
    const plan = planTar(ENTRIES.map((e) => ({ name: e.name, size: e.data.byteLength, align: e.padding === undefined ? 1 : 4096 })));
    const inputs = ENTRIES.map((e, i) => ({ name: e.name, data: e.data, ...(plan.entries[i]!.padding !== undefined ? { padding: plan.entries[i]!.padding } : {}) }));
    const packed = await writeTar(inputs);
    expect(packed.byteLength).toBe(plan.size);
    const walked = walkTar(packed);
    expect(walked.map((w) => w.name)).toEqual(ENTRIES.map((e) => e.name));
    walked.forEach((w, i) => {
      expect(w.dataOffset).toBe(plan.entries[i]!.dataOffset);
      expect(packed.subarray(w.dataOffset, w.dataOffset + w.size)).toEqual(ENTRIES[i]!.data);
    });
  });
});
