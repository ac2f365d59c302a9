import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResultEntry } from '../../src/store/action-entry.js';
import { type NginxServer, nginxSkipReason, startNginx } from '../support/nginx.js';
import { fakeBuild } from './fake-build.js';
import { startFaultServer } from './fault-server.js';
import { stackFixture } from './stack-fixture.js';
import { storeRecords } from '../support/local-store-records.js';

const skip = nginxSkipReason();
const fixture = stackFixture();

async function listRemote(root: string, folder: 'ac' | 'cas'): Promise<string[]> {
  return readdir(join(root, folder)).catch(() => []);
}

describe.skipIf(skip !== undefined)('tiered cache stack against nginx', () => {
  let nginx: NginxServer;
  beforeAll(async () => {
    nginx = await startNginx();
  });
  afterAll(async () => {
    await nginx?.stop();
  });
  afterEach(() => fixture.cleanup());

  it('a read-write build fills the remote; a clean machine then executes nothing and gets equal outputs', async () => {
    const ci = await fixture.make({ url: `${nginx.url}/fill`, mode: 'read-write' });
    const first = await fakeBuild(ci.stack, 12);
    expect(first.executed).toBe(12);
    expect(await ci.stack.flush?.()).toEqual([]);
    expect(ci.stack.metrics).toMatchObject({ uploads: 36, uploadsFailed: 0, actionMisses: 12 });

    const laptop = await fixture.make({ url: `${nginx.url}/fill`, mode: 'read' });
    const second = await fakeBuild(laptop.stack, 12);
    expect(second.executed).toBe(0);
    expect(second.outputs).toEqual(first.outputs);
    expect(laptop.stack.metrics).toMatchObject({ actionHits: 12, actionMisses: 0, uploads: 0 });
    expect(laptop.stack.metrics?.bytesDown).toBeGreaterThan(0);
    expect(laptop.printed).toEqual([]);
  });

  it('writes remote hits back to the local store, so the next lookup never asks the server', async () => {
    const ci = await fixture.make({ url: `${nginx.url}/writeback`, mode: 'read-write' });
    await fakeBuild(ci.stack, 3);
    await ci.stack.flush?.();

    const dev = await fixture.make({ url: `${nginx.url}/writeback`, mode: 'read' });
    await fakeBuild(dev.stack, 3);
    await dev.stack.flush?.();
    expect(storeRecords(dev.localRoot, 'ac').size).toBeGreaterThan(0);
    expect(storeRecords(dev.localRoot, 'cas').size).toBeGreaterThan(0);

    // Same local folder, remote now dead: everything comes from local, no request is even tried.
    const offline = await fixture.make({ url: 'http://127.0.0.1:9/', mode: 'read' }, {}, dev.localRoot);
    const again = await fakeBuild(offline.stack, 3);
    expect(again.executed).toBe(0);
    expect(offline.stack.metrics).toMatchObject({ requestErrors: 0, actionHits: 0 });
    expect(offline.printed).toEqual([]);
  });

  it('looks up local first: a local hit never touches the remote', async () => {
    const server = await startFaultServer('record');
    try {
      const dev = await fixture.make({ url: server.url, mode: 'read' });
      const bytes = new TextEncoder().encode('local only');
      const digest = await dev.stack.blobs.put(bytes);
      await dev.stack.actions.put('c'.repeat(64), { kind: 'manifest', discovered: [] });
      expect(await dev.stack.blobs.get(digest)).toEqual(bytes);
      expect(await dev.stack.actions.get('c'.repeat(64))).toEqual({ kind: 'manifest', discovered: [] });
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('read mode never uploads', async () => {
    const dev = await fixture.make({ url: `${nginx.url}/readonly`, mode: 'read' });
    const build = await fakeBuild(dev.stack, 5);
    expect(build.executed).toBe(5);
    await dev.stack.flush?.();
    expect(await listRemote(join(nginx.root, 'readonly'), 'cas')).toEqual([]);
    expect(await listRemote(join(nginx.root, 'readonly'), 'ac')).toEqual([]);
    expect(dev.stack.metrics).toMatchObject({ uploads: 0, bytesUp: 0 });
  });

  it('a remote entry whose output blob is gone is a miss, not a broken hit', async () => {
    const ci = await fixture.make({ url: `${nginx.url}/dangling`, mode: 'read-write' });
    await fakeBuild(ci.stack, 1);
    await ci.stack.flush?.();
    for (const name of await listRemote(join(nginx.root, 'dangling'), 'cas')) {
      await fetch(`${nginx.url}/dangling/cas/${name}`, { method: 'DELETE' });
    }
    const dev = await fixture.make({ url: `${nginx.url}/dangling`, mode: 'read' });
    const build = await fakeBuild(dev.stack, 1);
    expect(build.executed).toBe(1);
    expect(dev.stack.metrics).toMatchObject({ actionHits: 0, actionMisses: 1 });
  });

  it('uploads an action entry only after the blobs it references', async () => {
    const server = await startFaultServer('record');
    try {
      const ci = await fixture.make({ url: server.url, mode: 'read-write' });
      await fakeBuild(ci.stack, 20);
      await ci.stack.flush?.();
      const order = server.requests.filter((r) => r.method === 'PUT').map((r) => r.path);
      for (const [key, body] of server.stored) {
        if (!key.startsWith('/ac/')) continue;
        const result = JSON.parse(body.toString()) as { outputFiles: { path: string; digest: { hash: string } }[] };
        expect(result.outputFiles.map((file) => file.path).sort()).toEqual(['kiln/entry.json', expect.stringMatching(/^kiln\/out\/action\d+\.bin$/)]);
        for (const file of result.outputFiles) {
          const blobAt = order.indexOf(`/cas/${file.digest.hash}`);
          expect(blobAt).toBeGreaterThanOrEqual(0);
          expect(blobAt).toBeLessThan(order.indexOf(key));
        }
      }
    } finally {
      await server.close();
    }
  });

  it('uploads an output blob that was cached locally before the remote was configured', async () => {
    const server = await startFaultServer('record');
    try {
      const offline = await fixture.make();
      const digest = await offline.stack.blobs.put(new TextEncoder().encode('old output'));
      const ci = await fixture.make({ url: server.url, mode: 'read-write' }, {}, offline.localRoot);
      const entry: ResultEntry = {
        kind: 'result',
        outputs: [{ name: 'old.bin', digest, meta: {}, parts: [] }],
        diagnostics: [],
        stats: {},
        durationMs: 1,
      };
      // This stack never `put` the blob; the entry still must not reach the server without it.
      await ci.stack.actions.put('d'.repeat(64), entry);
      await ci.stack.flush?.();
      const calls = server.requests.map((r) => `${r.method} ${r.path}`);
      expect(calls).toEqual([`HEAD /cas/${digest.hash}`, `PUT /cas/${digest.hash}`, expect.stringMatching(/^PUT \/cas\/[0-9a-f]{64}$/), `PUT /ac/${'d'.repeat(64)}`]);
    } finally {
      await server.close();
    }
  });
});

describe('upload bounds', () => {
  afterEach(() => fixture.cleanup());

  it('keeps at most 8 uploads in flight and flush() gives up at its deadline with a warning', async () => {
    // The first upload is answered (until then the others wait: it is the probe), then the server stalls.
    const server = await startFaultServer('stall-after-first');
    try {
      const ci = await fixture.make({
        url: server.url,
        mode: 'read-write',
        timeoutMs: 5000,
        flushTimeoutMs: 300,
        maxFailures: 100,
      });
      for (let index = 0; index < 30; index += 1) await ci.stack.blobs.put(new TextEncoder().encode(`blob ${index}`));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.requests.length).toBe(1 + 8);
      const started = Date.now();
      const warnings = await ci.stack.flush?.();
      expect(Date.now() - started).toBeLessThan(2500);
      expect(warnings).toEqual([]);
      expect(ci.printed).toEqual([
        'remote cache: 29 upload(s) still running after 300 ms were abandoned; the next build will upload them',
      ]);
      // Abandoned uploads are not the server's fault: no "unreachable" warning.
      expect(ci.printed.join('\n')).not.toContain('building locally');
    } finally {
      await server.close();
    }
  });
});
