/**
 * kiln's REAPI client against a gRPC server that lies on purpose (wrong bytes, oversized streams,
 * no SHA-256): every lie is a miss, nothing it sent is stored locally, and the build's result is
 * what a local cook gives. The honest-server cases run against bazel-remote (bazel-remote-cache.test.ts).
 */
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation, status } from '@grpc/grpc-js';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../../src/hash/digest.js';
import { reapiDefinitions } from '../../../src/store/reapi/reapi-proto.js';
import { fakeBuild } from '../fake-build.js';
import { stackFixture } from '../stack-fixture.js';
import { storeRecords } from '../../support/local-store-records.js';

type Lie = 'wrong-bytes' | 'long-stream' | 'no-sha256';
const fixture = stackFixture();
const servers: Server[] = [];
afterEach(async () => {
  await fixture.cleanup();
  for (const server of servers.splice(0)) server.forceShutdown();
});

/** A REAPI server that has every blob anyone asks for — with the wrong content. */
async function startLiar(lie: Lie): Promise<{ url: string; calls: string[] }> {
  const calls: string[] = [];
  const defs = reapiDefinitions();
  const service = (name: string) => defs[name] as unknown as ServiceDefinition;
  const server = new Server();
  const unary = (name: string, answer: (request: Record<string, unknown>) => unknown): UntypedServiceImplementation => ({
    [name]: (call: { request: Record<string, unknown> }, callback: (error: unknown, value?: unknown) => void) => {
      calls.push(name);
      callback(null, answer(call.request));
    },
  });
  const V2 = 'build.bazel.remote.execution.v2';
  server.addService(service(`${V2}.Capabilities`), unary('GetCapabilities', () => ({
    cacheCapabilities: { digestFunctions: lie === 'no-sha256' ? ['MD5'] : ['SHA256'], actionCacheUpdateCapabilities: { updateEnabled: true } },
  })));
  server.addService(service(`${V2}.ContentAddressableStorage`), {
    ...unary('FindMissingBlobs', () => ({ missingBlobDigests: [] })),
    ...unary('BatchUpdateBlobs', (request) => ({ responses: (request.requests as { digest: unknown }[]).map((r) => ({ digest: r.digest, status: { code: 0 } })) })),
    ...unary('BatchReadBlobs', (request) => ({
      responses: (request.digests as { hash: string; sizeBytes: string }[]).map((digest) => ({ digest, data: Buffer.alloc(Number(digest.sizeBytes), 0x41), status: { code: 0 } })),
    })),
  });
  server.addService(service(`${V2}.ActionCache`), {
    GetActionResult: (_call: unknown, callback: (error: unknown) => void) => {
      calls.push('GetActionResult');
      callback({ code: status.NOT_FOUND, details: 'no' });
    },
    ...unary('UpdateActionResult', (request) => request.actionResult),
  });
  server.addService(service('google.bytestream.ByteStream'), {
    Read: (call: { request: { resourceName: string }; write: (m: unknown) => void; end: () => void }) => {
      calls.push('Read');
      const size = Number(call.request.resourceName.split('/').pop());
      // Twice as many bytes as the digest says.
      call.write({ data: Buffer.alloc(size, 1) });
      call.write({ data: Buffer.alloc(size, 1) });
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  servers.push(server);
  return { url: `grpc://127.0.0.1:${port}`, calls };
}

describe('a lying REAPI server', () => {
  it('wrong bytes for a blob: a miss, counted, never stored locally', async () => {
    const liar = await startLiar('wrong-bytes');
    const dev = await fixture.make({ url: liar.url, mode: 'read' });
    const wanted = digestOf(Buffer.from('the real texture'));
    expect(await dev.stack.blobs.get(wanted)).toBeUndefined();
    expect(dev.stack.metrics).toMatchObject({ verificationFailures: 1, blobHits: 0 });
    expect(await readdir(join(dev.localRoot, 'cas')).catch(() => [])).toEqual([]);
    await dev.stack.flush?.();
    expect(storeRecords(dev.localRoot, 'cas').size).toBe(0);
    expect(liar.calls).toContain('BatchReadBlobs');
  });

  it('a ByteStream read longer than the digest: cut off, a miss', async () => {
    const liar = await startLiar('long-stream');
    const dev = await fixture.make({ url: liar.url, mode: 'read' });
    const big = digestOf(Buffer.alloc(5 << 20, 7));
    expect(await dev.stack.blobs.get(big)).toBeUndefined();
    expect(liar.calls).toContain('Read');
    expect(dev.stack.metrics?.blobHits).toBe(0);
  });

  it('no SHA-256 on offer: one warning, then the server is left alone; the build is local and right', async () => {
    const liar = await startLiar('no-sha256');
    const ci = await fixture.make({ url: liar.url, mode: 'read-write' });
    const reference = await fakeBuild((await fixture.make()).stack, 4, 'md5');
    const build = await fakeBuild(ci.stack, 4, 'md5');
    await ci.stack.flush?.();
    expect(build).toEqual({ executed: 4, outputs: reference.outputs });
    expect(ci.printed).toEqual([expect.stringMatching(/offers no SHA-256 content addresses \(digest functions: MD5\)/)]);
    expect(liar.calls).toEqual(['GetCapabilities']);
  });
});
