import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/hash/digest.js';
import type { ManifestEntry } from '../../src/store/action-entry.js';
import { decodeActionEntry, encodeActionEntry } from '../../src/store/hmac-envelope.js';
import { HmacSigner } from '../../src/store/hmac-signer.js';
import { type NginxServer, nginxSkipReason, startNginx } from '../support/nginx.js';
import { fakeBuild } from './fake-build.js';
import { stackFixture } from './stack-fixture.js';

const skip = nginxSkipReason();
const fixture = stackFixture();
const manifest: ManifestEntry = { kind: 'manifest', discovered: ['levels/forest/oak.bin'] };

describe('HMAC envelope', () => {
  const signer = new HmacSigner('team secret');
  const key = 'e'.repeat(32);

  it('accepts what it signed, under the same key only', () => {
    const text = encodeActionEntry(key, manifest, signer);
    expect(decodeActionEntry(key, text, signer)).toEqual({ ok: true, entry: manifest });
    expect(decodeActionEntry('f'.repeat(32), text, signer)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a tampered payload, an unsigned entry and a different key', () => {
    const text = encodeActionEntry(key, manifest, signer);
    const tampered = text.replace('oak.bin', 'evil.bin');
    expect(decodeActionEntry(key, tampered, signer)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(decodeActionEntry(key, JSON.stringify(manifest), signer)).toEqual({ ok: false, reason: 'unsigned' });
    expect(decodeActionEntry(key, text, new HmacSigner('other secret'))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('without a key reads signed and unsigned entries alike', () => {
    expect(decodeActionEntry(key, encodeActionEntry(key, manifest, signer), undefined)).toEqual({ ok: true, entry: manifest });
    expect(decodeActionEntry(key, JSON.stringify(manifest), undefined)).toEqual({ ok: true, entry: manifest });
    expect(decodeActionEntry(key, '{"kind":"nonsense"}', undefined)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never shows the secret when logged', () => {
    expect(JSON.stringify({ signer })).not.toContain('team secret');
    expect(String(new Error('x', { cause: signer }).cause)).not.toContain('team secret');
  });
});

describe.skipIf(skip !== undefined)('HMAC-signed entries on nginx', () => {
  let nginx: NginxServer;
  beforeAll(async () => {
    nginx = await startNginx();
  });
  afterAll(async () => {
    await nginx?.stop();
  });
  afterEach(() => fixture.cleanup());

  const env = { KILN_CACHE_HMAC_KEY: 'ci secret' };

  it('a signing CI and a verifying laptop share hits', async () => {
    const ci = await fixture.make({ url: `${nginx.url}/signed`, mode: 'read-write' }, env);
    const first = await fakeBuild(ci.stack, 4);
    await ci.stack.flush?.();
    const laptop = await fixture.make({ url: `${nginx.url}/signed`, mode: 'read' }, env);
    const second = await fakeBuild(laptop.stack, 4);
    expect(second).toEqual({ executed: 0, outputs: first.outputs });
    expect(laptop.stack.metrics?.verificationFailures).toBe(0);
  });

  it('a tampered entry is a miss, counted and reported, never used', async () => {
    const ci = await fixture.make({ url: `${nginx.url}/tampered`, mode: 'read-write' }, env);
    const first = await fakeBuild(ci.stack, 2);
    await ci.stack.flush?.();
    // Someone with write access but without the key edits each entry blob (a valid CAS blob
    // under its new SHA-256) and points the ActionResult at it.
    const acFolder = join(nginx.root, 'tampered', 'ac');
    for (const name of await readdir(acFolder)) {
      const result = JSON.parse(await readFile(join(acFolder, name), 'utf8')) as { outputFiles: { path: string; digest: { hash: string; sizeBytes: string } }[] };
      const entryFile = result.outputFiles.find((file) => file.path === 'kiln/entry.json')!;
      const text = await readFile(join(nginx.root, 'tampered', 'cas', entryFile.digest.hash), 'utf8');
      const forged = Buffer.from(text.replace(/\\"durationMs\\":1/, '\\"durationMs\\":2'));
      expect(forged.toString()).not.toBe(text);
      const digest = digestOf(forged);
      await writeFile(join(nginx.root, 'tampered', 'cas', digest.hash), forged);
      entryFile.digest = { hash: digest.hash, sizeBytes: String(digest.size) };
      await writeFile(join(acFolder, name), JSON.stringify(result));
    }
    const laptop = await fixture.make({ url: `${nginx.url}/tampered`, mode: 'read' }, env);
    const second = await fakeBuild(laptop.stack, 2);
    expect(second).toEqual({ executed: 2, outputs: first.outputs });
    expect(laptop.stack.metrics).toMatchObject({ verificationFailures: 2, actionHits: 0, actionMisses: 2 });
    await laptop.stack.flush?.();
    expect(laptop.printed).toEqual([
      'remote cache: 2 download(s) failed verification (bad or missing HMAC signature, unreadable entry, or blob digest mismatch) and were ignored',
    ]);
  });

  it('an unsigned entry is a miss for a client holding the key', async () => {
    const unsigned = await fixture.make({ url: `${nginx.url}/unsigned`, mode: 'read-write' }, {});
    await fakeBuild(unsigned.stack, 3);
    await unsigned.stack.flush?.();
    const laptop = await fixture.make({ url: `${nginx.url}/unsigned`, mode: 'read' }, env);
    const build = await fakeBuild(laptop.stack, 3);
    expect(build.executed).toBe(3);
    expect(laptop.stack.metrics).toMatchObject({ verificationFailures: 3, actionHits: 0 });
  });

  it('a corrupted blob on the server is a miss; the action is rebuilt with the right bytes', async () => {
    const ci = await fixture.make({ url: `${nginx.url}/corrupt`, mode: 'read-write' }, env);
    const first = await fakeBuild(ci.stack, 3);
    await ci.stack.flush?.();
    const casFolder = join(nginx.root, 'corrupt', 'cas');
    for (const name of await readdir(casFolder)) {
      const bytes = await readFile(join(casFolder, name));
      bytes[0] = bytes[0]! ^ 0xff; // same size, different content
      await writeFile(join(casFolder, name), bytes);
    }
    const laptop = await fixture.make({ url: `${nginx.url}/corrupt`, mode: 'read' }, env);
    const second = await fakeBuild(laptop.stack, 3);
    expect(second).toEqual({ executed: 3, outputs: first.outputs });
    expect(laptop.stack.metrics).toMatchObject({ verificationFailures: 3, actionHits: 0, blobHits: 0 });
  });
});
