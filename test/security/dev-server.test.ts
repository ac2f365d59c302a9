/**
 * The watch server answers only this machine's pages and configured origins: another site open in
 * the artist's browser cannot read /cas or open /ws (checked in real Chromium), a DNS-rebound Host
 * is refused, CORS is never `*`, and a client's frames are capped.
 */
import { existsSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { digestKey } from '../../src/hash/digest.js';
import { MemoryBlobStore } from '../../src/store/memory-store.js';
import { DevServer, MAX_CLIENT_FRAME } from '../../src/watch/dev-server.js';

const SECRET = new TextEncoder().encode('level bytes nobody outside may read: 0123456789');
let server: DevServer;
let base: string;
let port: number;
let key: string;

beforeAll(async () => {
  const blobs = new MemoryBlobStore();
  key = digestKey(await blobs.put(SECRET));
  server = new DevServer({
    blobs: () => blobs,
    hello: () => ({ type: 'hello', build: 0, assets: [], failing: [] }) as never,
    allowedOrigins: ['https://play.example.com'],
  });
  ({ url: base, port } = await server.listen());
});
afterAll(() => server.close());

function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(headers: Record<string, string>): Promise<{ ok: true; socket: WebSocket } | { ok: false; status: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    socket.on('open', () => resolve({ ok: true, socket }));
    socket.on('unexpected-response', (_req, res) => resolve({ ok: false, status: res.statusCode ?? 0 }));
    socket.on('error', () => resolve({ ok: false, status: 0 }));
  });
}

describe('raw clients', () => {
  it('refuses a WebSocket from another site and one with a DNS-rebound Host', async () => {
    expect(await connect({ Origin: 'https://evil.example' })).toEqual({ ok: false, status: 403 });
    expect(await connect({ Host: `evil.example:${port}` })).toEqual({ ok: false, status: 403 });
    expect(await connect({ Origin: 'null' })).toEqual({ ok: false, status: 403 });
    for (const origin of [undefined, 'http://localhost:5173', 'http://127.0.0.1:8080', 'https://play.example.com']) {
      const result = await connect(origin ? { Origin: origin } : {});
      expect(result.ok, String(origin)).toBe(true);
      if (result.ok) result.socket.close();
    }
  });

  it('serves /cas to loopback pages and allowed origins only, never with a wildcard', async () => {
    const evil = await get(`/cas/${key}`, { Origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body).not.toContain('level bytes');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const rebound = await get(`/cas/${key}`, { Host: `attacker.test:${port}` });
    expect(rebound.status).toBe(403);
    const local = await get(`/cas/${key}`, { Origin: 'http://localhost:5173' });
    expect(local.status).toBe(200);
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const allowed = await get(`/cas/${key}`, { Origin: 'https://play.example.com' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://play.example.com');
    const plain = await get(`/cas/${key}`, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('closes a socket that sends a frame over the cap (the server never reads client messages)', async () => {
    const result = await connect({});
    if (!result.ok) throw new Error('loopback client refused');
    const code = await new Promise<number>((resolve) => {
      result.socket.on('close', (closeCode) => resolve(closeCode));
      result.socket.send(Buffer.alloc(MAX_CLIENT_FRAME * 16));
    });
    expect(code).toBe(1009);
  });

  it('ignores an invalid Range (bytes=10-5) and answers the whole blob', async () => {
    const res = await get(`/cas/${key}`, { Range: 'bytes=10-5' });
    expect(res.status).toBe(200);
    expect(res.body).toBe(new TextDecoder().decode(SECRET));
    expect((await get(`/cas/${key}`, { Range: 'bytes=5-9' })).status).toBe(206);
  });
});

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));
if (!CHROMIUM && process.env.CI !== 'true') console.log('dev-server Chromium test skipped: no chromium at /usr/bin/chromium (apt-get install -y chromium); it runs when CI=true');

describe.runIf(CHROMIUM !== undefined || process.env.CI === 'true')('in Chromium', () => {
  it('a page from another site cannot read /cas or open /ws; a rebound name cannot read it same-origin', async () => {
    if (!CHROMIUM) throw new Error('CI=true but chromium is not installed at /usr/bin/chromium');
    const { chromium } = await import('playwright-core');
    const pages: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'));
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const pagePort = (pages.address() as AddressInfo).port;
    // evil.test and rebind.test both resolve to 127.0.0.1, as an attacker's DNS would answer.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP evil.test 127.0.0.1, MAP rebind.test 127.0.0.1'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://evil.test:${pagePort}/`);
      // A string, so the bundler leaves the page's own WebSocket alone.
      const attempt = (await page.evaluate(`(async () => {
        const read = await fetch(${JSON.stringify(`${base}/cas/${key}`)}).then((r) => r.text()).catch((error) => 'blocked: ' + error.name);
        const socket = await new Promise((resolve) => {
          const s = new WebSocket(${JSON.stringify(`ws://127.0.0.1:${port}/ws`)});
          s.onmessage = (event) => resolve('message: ' + String(event.data));
          s.onerror = () => resolve('error');
        });
        return { read, socket };
      })()`)) as { read: string; socket: string };
      expect(attempt.read).toMatch(/^blocked/);
      expect(attempt.socket).toBe('error');

      const rebound = await browser.newPage();
      const response = await rebound.goto(`http://rebind.test:${port}/cas/${key}`);
      expect(response?.status()).toBe(403);
      expect(await rebound.content()).not.toContain('level bytes');

      // The same page served from loopback is let in.
      const local = await browser.newPage();
      await local.goto(`http://localhost:${pagePort}/`);
      const ok = await local.evaluate(async (cas) => (await fetch(cas)).text(), `${base}/cas/${key}`);
      expect(ok).toBe(new TextDecoder().decode(SECRET));
    } finally {
      await browser.close();
      pages.close();
    }
  });
});
