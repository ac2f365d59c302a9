import { describe, expect, it } from 'vitest';
import tar from 'tar-stream';
import { paxPath } from '../../src/format/tar-header.js';
import { walkTar } from '../../src/bundle/tar-walk.js';

async function pack(entries: { name: string; body: string }[], pax?: Record<string, string>): Promise<Uint8Array> {
  const p = tar.pack();
  for (const e of entries) p.entry({ name: e.name, mtime: new Date(0), ...(pax ? { pax } : {}) }, e.body);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

const record = (key: string, value: string): Uint8Array => {
  const body = new TextEncoder().encode(` ${key}=${value}\n`).byteLength;
  let length = body + String(body).length;
  if (String(length).length !== String(body).length) length = body + String(length).length;
  return new TextEncoder().encode(`${length} ${key}=${value}\n`);
};

describe('tar PAX headers', () => {
  it('reads non-ASCII paths by bytes: the whole UTF-8 name, nothing cut or carried over', async () => {
    const names = ['levels/forêt/écorce.ktx2', 'ui/日本語/アイコン.png', `sfx/${'ü'.repeat(80)}.ogg`];
    const bytes = await pack(names.map((name) => ({ name, body: name })), { comment: 'x' });
    const found = walkTar(bytes);
    expect(found.map((f) => f.name)).toEqual(names);
    for (const f of found) expect(new TextDecoder().decode(bytes.subarray(f.dataOffset, f.dataOffset + f.size))).toBe(f.name);
  });

  it('finds path= after multi-byte records and stops at malformed lengths', () => {
    const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
    expect(paxPath(concat(record('comment', 'été ☀'), record('path', 'a/ñ.png')))).toBe('a/ñ.png');
    expect(paxPath(new TextEncoder().encode('99 path=a\n'))).toBeUndefined();
    expect(paxPath(new TextEncoder().encode('x path=a\n'))).toBeUndefined();
    expect(paxPath(new TextEncoder().encode('5 pa\n'))).toBeUndefined();
  });
});
