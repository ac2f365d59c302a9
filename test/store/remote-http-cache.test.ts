import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/hash/digest.js';
import type { ResultEntry } from '../../src/store/action-entry.js';
import { RemoteActionCache } from '../../src/store/remote-action-cache.js';
import { RemoteBlobStore } from '../../src/store/remote-blob-store.js';
import { RemoteEntryCache } from '../../src/store/remote-entry-cache.js';
import { RemoteHealth } from '../../src/store/remote-health.js';
import { RemoteHttpClient } from '../../src/store/remote-http-client.js';
import { createRemoteMetrics } from '../../src/store/remote-metrics.js';
import { type NginxServer, nginxSkipReason, startNginx } from '../support/nginx.js';

const skip = nginxSkipReason();

function remoteFor(base: string) {
  const metrics = createRemoteMetrics();
  const warnings: string[] = [];
  const health = new RemoteHealth({ display: base, onWarning: (message) => warnings.push(message) });
  const client = new RemoteHttpClient({ base: `${base}/`, timeoutMs: 2000, headers: {}, health, metrics });
  const store = new RemoteBlobStore(client, metrics);
  const blobs = {
    has: store.has.bind(store),
    get: store.get.bind(store),
    put: async (bytes: Uint8Array) => {
      const digest = digestOf(bytes);
      await store.upload(bytes, digest);
      return digest;
    },
  };
  return { metrics, warnings, blobs, actions: new RemoteEntryCache(new RemoteActionCache(client, metrics), store, metrics, undefined) };
}

const entry: ResultEntry = {
  kind: 'result',
  outputs: [{ name: 'a.bin', digest: { hash: '0123456789abcdef'.repeat(4), size: 3 }, meta: { width: 4 }, parts: [] }],
  diagnostics: [],
  stats: { cooked: true },
  durationMs: 12,
};

describe.skipIf(skip !== undefined)('HTTP remote cache against a real nginx (WebDAV)', () => {
  let nginx: NginxServer;
  beforeAll(async () => {
    nginx = await startNginx();
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it('answers the Bazel layout: PUT 201 then 204, GET 200, HEAD 200, missing 404', async () => {
    const put = (body: string) => fetch(`${nginx.url}/cas/probe`, { method: 'PUT', body });
    expect((await put('one')).status).toBe(201);
    expect((await put('two')).status).toBe(204);
    expect(await (await fetch(`${nginx.url}/cas/probe`)).text()).toBe('two');
    expect((await fetch(`${nginx.url}/cas/probe`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${nginx.url}/ac/nothing-here`)).status).toBe(404);
  });

  it('round-trips blobs under cas/<sha256> and reports absent ones as misses', async () => {
    const remote = remoteFor(nginx.url);
    const bytes = new TextEncoder().encode('texture bytes');
    const digest = await remote.blobs.put(bytes);
    expect(await readdir(join(nginx.root, 'cas'))).toContain(digest.hash);
    expect(await remote.blobs.has(digest)).toBe(true);
    expect(Buffer.from((await remote.blobs.get(digest))!).toString()).toBe('texture bytes');

    const absent = digestOf(new TextEncoder().encode('never uploaded'));
    expect(await remote.blobs.has(absent)).toBe(false);
    expect(await remote.blobs.get(absent)).toBeUndefined();
    expect(remote.metrics).toMatchObject({ uploads: 1, blobHits: 1, blobMisses: 1, requestErrors: 0 });
    expect(remote.metrics.bytesUp).toBe(bytes.byteLength);
    expect(remote.warnings).toEqual([]);
  });

  it('round-trips action entries as an ActionResult under ac/<key> naming the entry blob; an unknown key is a miss', async () => {
    const remote = remoteFor(nginx.url);
    const key = 'a'.repeat(64);
    expect(await remote.actions.upload(key, entry)).toBe(true);
    expect(await remote.actions.get(key)).toEqual(entry);
    const result = JSON.parse(await readFile(join(nginx.root, 'ac', key), 'utf8')) as { outputFiles: { path: string }[] };
    expect(result.outputFiles.map((file) => file.path)).toEqual(['kiln/entry.json', 'kiln/out/a.bin']);
    expect(await remote.actions.get('b'.repeat(64))).toBeUndefined();
    expect(remote.warnings).toEqual([]);
  });

  it('works under a base path (one server, several caches)', async () => {
    const remote = remoteFor(`${nginx.url}/team-a/cache`);
    const digest = await remote.blobs.put(new Uint8Array([1, 2, 3]));
    expect(await readdir(join(nginx.root, 'team-a', 'cache', 'cas'))).toEqual([digest.hash]);
    expect(await remote.blobs.get(digest)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('moves a 5 MiB blob both ways intact', async () => {
    const remote = remoteFor(nginx.url);
    const bytes = new Uint8Array(5 << 20).map((_, index) => (index * 31) & 0xff);
    const digest = await remote.blobs.put(bytes);
    const back = await remote.blobs.get(digest);
    // Compare as buffers: element-wise deep equality over 5 M entries takes tens of seconds.
    expect(Buffer.compare(Buffer.from(back!), Buffer.from(bytes))).toBe(0);
  });
});

describe('nginx helper', () => {
  it('prints why nginx tests are skipped when nginx is missing (outside CI)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-no-nginx-'));
    expect(skip === undefined || skip.includes('nginx not found')).toBe(true);
    await rm(dir, { recursive: true });
  });
});
