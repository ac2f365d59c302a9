import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/hash/digest.js';
import type { ResultEntry } from '../../src/store/action-entry.js';
import { type BazelRemoteServer, bazelRemoteSkipReason, startBazelRemote } from '../support/bazel-remote.js';
import { fakeBuild } from './fake-build.js';
import { stackFixture } from './stack-fixture.js';

const skip = bazelRemoteSkipReason();
const fixture = stackFixture();
const env = { KILN_CACHE_HMAC_KEY: 'team secret' };

describe.skipIf(skip !== undefined)('team cache on a real bazel-remote', () => {
  let server: BazelRemoteServer;
  beforeAll(async () => {
    server = await startBazelRemote();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(() => fixture.cleanup());

  for (const protocol of ['grpc', 'http'] as const) {
    const urlOf = () => (protocol === 'grpc' ? server.grpcUrl : server.httpUrl);

    it(`${protocol}: a read-write build fills it; a clean machine in read mode executes 0 actions with identical outputs`, async () => {
      const salt = `${protocol}-fill`;
      const ci = await fixture.make({ url: urlOf(), mode: 'read-write' }, env);
      const first = await fakeBuild(ci.stack, 10, salt);
      expect(first.executed).toBe(10);
      expect(await ci.stack.flush?.()).toEqual([]);
      expect(ci.stack.metrics).toMatchObject({ uploadsFailed: 0, requestErrors: 0 });
      expect(ci.printed).toEqual([]);

      const laptop = await fixture.make({ url: urlOf(), mode: 'read' }, env);
      const second = await fakeBuild(laptop.stack, 10, salt);
      expect(second.executed).toBe(0);
      expect(second.outputs).toEqual(first.outputs);
      expect(laptop.stack.metrics).toMatchObject({ actionHits: 10, actionMisses: 0, uploads: 0, verificationFailures: 0 });
      expect(laptop.printed).toEqual([]);
    });

    it(`${protocol}: entries signed with another key are a miss, and the build is still right`, async () => {
      const salt = `${protocol}-foreign`;
      const other = await fixture.make({ url: urlOf(), mode: 'read-write' }, { KILN_CACHE_HMAC_KEY: 'attacker' });
      await fakeBuild(other.stack, 3, salt);
      await other.stack.flush?.();
      const laptop = await fixture.make({ url: urlOf(), mode: 'read' }, env);
      const build = await fakeBuild(laptop.stack, 3, salt);
      expect(build.executed).toBe(3);
      expect(laptop.stack.metrics).toMatchObject({ actionHits: 0, verificationFailures: 3 });
    });
  }

  it('http and grpc see the same cache: what CI uploads over gRPC, a laptop reads over HTTP', async () => {
    const ci = await fixture.make({ url: server.grpcUrl, mode: 'read-write' }, env);
    const first = await fakeBuild(ci.stack, 4, 'shared');
    await ci.stack.flush?.();
    const laptop = await fixture.make({ url: server.httpUrl, mode: 'read' }, env);
    const second = await fakeBuild(laptop.stack, 4, 'shared');
    expect(second).toEqual({ executed: 0, outputs: first.outputs });
  });

  it('grpc: moves a 6 MiB blob through ByteStream both ways, verified', async () => {
    const stack = await fixture.make({ url: server.grpcUrl, mode: 'read-write' }, env);
    const bytes = new Uint8Array(6 << 20).map((_, index) => (index * 131) & 0xff);
    const digest = await stack.stack.blobs.put(bytes);
    const entry: ResultEntry = { kind: 'result', outputs: [{ name: 'big.bin', digest, meta: {}, parts: [] }], diagnostics: [], stats: {}, durationMs: 1 };
    await stack.stack.actions.put('b'.repeat(64), entry);
    expect(await stack.stack.flush?.()).toEqual([]);
    const reader = await fixture.make({ url: server.grpcUrl, mode: 'read' }, env);
    expect(await reader.stack.actions.get('b'.repeat(64))).toEqual(entry);
    const back = await reader.stack.blobs.get(digest);
    expect(Buffer.compare(Buffer.from(back!), Buffer.from(bytes))).toBe(0);
    expect(digestOf(back!)).toEqual(digest);
  });

  it('http: bazel-remote refuses a blob under the wrong SHA-256, so nothing poisoned is served', async () => {
    const right = digestOf(new TextEncoder().encode('right'));
    const put = await fetch(`${server.httpUrl}/cas/${right.hash}`, { method: 'PUT', body: 'wrong' });
    expect(put.status).toBeGreaterThanOrEqual(400);
    const reader = await fixture.make({ url: server.httpUrl, mode: 'read' }, env);
    expect(await reader.stack.blobs.get(right)).toBeUndefined();
  });
});

describe.skipIf(skip !== undefined)('a sick bazel-remote', () => {
  afterEach(() => fixture.cleanup());

  for (const protocol of ['grpc', 'http'] as const) {
    it(`${protocol}: stalled (SIGSTOP) — one warning, the build finishes locally and correctly, later reads are right`, async () => {
      const server = await startBazelRemote();
      try {
        const url = protocol === 'grpc' ? server.grpcUrl : server.httpUrl;
        const reference = await fakeBuild((await fixture.make()).stack, 5, 'stall');
        server.pause();
        const started = Date.now();
        const ci = await fixture.make({ url, mode: 'read-write', timeoutMs: 300, flushTimeoutMs: 1000 }, env);
        const build = await fakeBuild(ci.stack, 5, 'stall');
        const warnings = await ci.stack.flush?.();
        expect(build).toEqual({ executed: 5, outputs: reference.outputs });
        expect(Date.now() - started).toBeLessThan(8000);
        expect(ci.printed).toHaveLength(1);
        // Whichever comes first: a lookup timing out, or the flush giving up on stuck uploads.
        expect(ci.printed[0]).toMatch(/timed out|unreachable|DEADLINE|still running/);
        expect(warnings).toEqual([]);
        server.resume();
        const laptop = await fixture.make({ url, mode: 'read' }, env);
        expect((await fakeBuild(laptop.stack, 5, 'stall')).outputs).toEqual(reference.outputs);
      } finally {
        await server.stop();
      }
    });

    it(`${protocol}: dead — one "unreachable" warning, local results`, async () => {
      const server = await startBazelRemote();
      const url = protocol === 'grpc' ? server.grpcUrl : server.httpUrl;
      await server.stop();
      const ci = await fixture.make({ url, mode: 'read-write', timeoutMs: 500 }, env);
      const build = await fakeBuild(ci.stack, 5, 'dead');
      await ci.stack.flush?.();
      expect(build.executed).toBe(5);
      expect(ci.printed).toHaveLength(1);
      expect(ci.printed[0]).toMatch(/unreachable/);
    });
  }
});
