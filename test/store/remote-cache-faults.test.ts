import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/nginx.js';
import { fakeBuild } from './fake-build.js';
import { type Fault, startFaultServer } from './fault-server.js';
import { stackFixture } from './stack-fixture.js';

const fixture = stackFixture();
afterEach(() => fixture.cleanup());

/** What the same build gives with no remote at all: the reference every faulty run must equal. */
async function localOnly(count: number) {
  const { stack } = await fixture.make();
  return fakeBuild(stack, count);
}

describe('a sick remote cache never breaks or slows the build', () => {
  it('nothing listening: one "unreachable" warning, local results', async () => {
    const port = await freePort();
    const ci = await fixture.make({ url: `http://127.0.0.1:${port}/cache`, mode: 'read-write' });
    const build = await fakeBuild(ci.stack, 10);
    expect(build).toEqual(await localOnly(10));
    expect(await ci.stack.flush?.()).toEqual([]);
    expect(ci.printed).toEqual([`remote cache http://127.0.0.1:${port}/cache unreachable (ECONNREFUSED); building locally`]);
    // The breaker opened: later lookups skip the network altogether.
    const errorsBefore = ci.stack.metrics!.requestErrors;
    expect(errorsBefore).toBeGreaterThanOrEqual(3);
    const again = await fakeBuild(ci.stack, 10, 'v2');
    expect(again.executed).toBe(10);
    expect(ci.printed).toHaveLength(1);
    expect(ci.stack.metrics!.requestErrors).toBe(errorsBefore);
  });

  const faults: { fault: Fault; warning: RegExp }[] = [
    { fault: 'stall', warning: /^remote cache http:\/\/127\.0\.0\.1:\d+ timed out after 200 ms; building locally$/ },
    { fault: 'stall-body', warning: /^remote cache http:\/\/127\.0\.0\.1:\d+ timed out after 200 ms; building locally$/ },
    { fault: 'error-503', warning: /^remote cache http:\/\/127\.0\.0\.1:\d+ answered HTTP 503; building locally$/ },
    { fault: 'truncate', warning: /^remote cache http:\/\/127\.0\.0\.1:\d+ (closed the connection early|sent a truncated body).*; building locally$/ },
  ];

  for (const { fault, warning } of faults) {
    it(`${fault} server: one warning, few requests, local results, done quickly`, async () => {
      const server = await startFaultServer(fault);
      try {
        const ci = await fixture.make({ url: server.url, mode: 'read-write', timeoutMs: 200, flushTimeoutMs: 1000 });
        const started = Date.now();
        const build = await fakeBuild(ci.stack, 10);
        await ci.stack.flush?.();
        const elapsed = Date.now() - started;
        expect(build).toEqual(await localOnly(10));
        expect(ci.printed).toHaveLength(1);
        expect(ci.printed[0]).toMatch(warning);
        // 10 lookups raced the breaker; after 3 failures nothing else goes out (no uploads).
        expect(server.requests.length).toBeLessThanOrEqual(10);
        expect(server.requests.filter((r) => r.method === 'PUT')).toEqual([]);
        expect(elapsed).toBeLessThan(1500);
      } finally {
        await server.close();
      }
    });
  }

  it('a single failed request does not give up on a server that works afterwards', async () => {
    const server = await startFaultServer('record');
    try {
      const ci = await fixture.make({ url: server.url, mode: 'read-write', timeoutMs: 500 });
      await fakeBuild(ci.stack, 4);
      await ci.stack.flush?.();
      expect(ci.stack.metrics).toMatchObject({ uploads: 12, requestErrors: 0 });
      expect(ci.printed).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('credentials', () => {
  it('are sent as basic auth from the URL, and never appear in warnings', async () => {
    const server = await startFaultServer('error-503');
    try {
      const url = server.url.replace('http://', 'http://builder:hunter2@');
      const ci = await fixture.make({ url: `${url}/c?sig=secret-query`, mode: 'read' });
      await fakeBuild(ci.stack, 1);
      expect(server.requests[0]?.authorization).toBe(`Basic ${Buffer.from('builder:hunter2').toString('base64')}`);
      expect(ci.printed.join('\n')).not.toMatch(/hunter2|builder|secret-query/);
      expect(ci.printed[0]).toContain(`${server.url}/c?…`);
      expect(server.requests[0]?.path).toMatch(/^\/c\/ac\/[0-9a-f]{64}\?sig=secret-query$/);
    } finally {
      await server.close();
    }
  });

  it('come from KILN_REMOTE_USER / KILN_REMOTE_PASSWORD, or KILN_REMOTE_TOKEN as a bearer token', async () => {
    const server = await startFaultServer('record');
    try {
      const basic = await fixture.make({ url: server.url, mode: 'read' }, { KILN_REMOTE_USER: 'u', KILN_REMOTE_PASSWORD: 'p' });
      await basic.stack.actions.get('a'.repeat(64));
      const bearer = await fixture.make(
        { url: server.url, mode: 'read', headers: { 'x-team': 'art' } },
        { KILN_REMOTE_TOKEN: 'tok', KILN_REMOTE_USER: 'u' },
      );
      await bearer.stack.actions.get('a'.repeat(64));
      expect(server.requests.map((r) => r.authorization)).toEqual([`Basic ${Buffer.from('u:p').toString('base64')}`, 'Bearer tok']);
    } finally {
      await server.close();
    }
  });
});
