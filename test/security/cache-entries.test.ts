/**
 * Action cache entries are written by other machines or sit on a disk anyone can edit: each is
 * parsed strictly, and a bad one is a miss with one warning, never an error and never a write
 * outside kiln-out. The remote's bodies are capped (entries at a fixed size, blobs at their digest's).
 */
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/hash/digest.js';
import { type ActionEntry, ENTRY_LIMITS, parseActionEntry } from '../../src/store/action-entry.js';
import { kiln } from '../support/run-kiln.js';
import { type TempWorkspace, tempWorkspace } from '../support/temp-workspace.js';
import { startFaultServer } from '../store/fault-server.js';
import { stackFixture } from '../store/stack-fixture.js';
import { forgetRequestGraph, storeRecords, writeStoreRecords } from '../support/local-store-records.js';

const FILES = {
  'pkgs/lvl/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n',
  'pkgs/lvl/cfg.json': '{"a": 1}',
};

let ws: TempWorkspace | undefined;
const fixture = stackFixture();
afterEach(async () => {
  ws?.cleanup();
  ws = undefined;
  await fixture.cleanup();
});

/** Build once, then replace every local action entry with `poison(entry)` and forget everything else. */
function poisonedWorkspace(poison: (entry: Record<string, unknown>) => unknown): TempWorkspace {
  const w = tempWorkspace(FILES);
  expect(kiln(w.root, ['build', '//lvl:all']).code).toBe(0);
  const cacheDir = join(w.root, '.kiln');
  const entries = storeRecords(cacheDir, 'ac');
  expect(entries.size).toBeGreaterThan(0);
  const poisoned = new Map([...entries].map(([key, bytes]) => [key, Buffer.from(JSON.stringify(poison(JSON.parse(bytes.toString('utf8')) as Record<string, unknown>)))]));
  writeStoreRecords(cacheDir, 'ac', poisoned);
  forgetRequestGraph(join(w.root, '.kiln'));
  rmSync(join(w.root, 'kiln-out'), { recursive: true, force: true });
  return w;
}

const withOutputs = (outputs: unknown) => (entry: Record<string, unknown>) => ({ ...entry, outputs });

describe('local action entries are parsed strictly', () => {
  it('an output named ../../x.sh writes nothing outside kiln-out and re-cooks with one warning', () => {
    ws = poisonedWorkspace((entry) => ({
      ...entry,
      outputs: (entry.outputs as { name: string }[]).map((o) => ({ ...o, name: '../../x.sh' })),
    }));
    const run = kiln(ws.root, ['build', '//lvl:all']);
    expect(run.code).toBe(0);
    expect(existsSync(join(ws.root, 'x.sh'))).toBe(false);
    expect(existsSync(join(ws.root, '..', 'x.sh'))).toBe(false);
    expect(ws.read('kiln-out/desktop/lvl/cfg.json').toString()).toBe('{"a":1}');
    expect(run.summary?.executed).toBe(1);
    const output = run.stdout + run.stderr;
    expect(output.match(/invalid entr/g)).toHaveLength(1);
  });

  it('a flipped bit in a field name ("nAme") is a miss: no kiln-out/desktop/lvl/undefined, the real output written', () => {
    ws = poisonedWorkspace((entry) => ({
      ...entry,
      outputs: (entry.outputs as { name: string }[]).map(({ name, ...rest }) => ({ nAme: name, ...rest })),
    }));
    const run = kiln(ws.root, ['build', '//lvl:all']);
    expect(run.code).toBe(0);
    expect(existsSync(join(ws.root, 'kiln-out/desktop/lvl/undefined'))).toBe(false);
    expect(ws.read('kiln-out/desktop/lvl/cfg.json').toString()).toBe('{"a":1}');
  });

  it('{"outputs":[{}]} heals on the next build without kiln clean', () => {
    ws = poisonedWorkspace(withOutputs([{}]));
    const run = kiln(ws.root, ['build', '//lvl:all']);
    expect(run.code).toBe(0);
    expect(run.summary?.executed).toBe(1);
    forgetRequestGraph(join(ws.root, '.kiln'));
    const again = kiln(ws.root, ['build', '//lvl:all']);
    expect(again.code).toBe(0);
    expect(again.summary?.cached).toBe(1);
    expect(again.stdout + again.stderr).not.toMatch(/invalid entr/);
  });

  it('the parser refuses unsafe names, odd digests and absolute discovered paths', () => {
    const hash = digestOf(new TextEncoder().encode('x')).hash;
    const good = { kind: 'result', outputs: [{ name: 'a/b.ktx2', digest: { hash, size: 7 }, meta: {}, parts: [] }], diagnostics: [], stats: {}, durationMs: 1 };
    expect(parseActionEntry(JSON.stringify(good))?.kind).toBe('result');
    for (const name of ['../x', 'a/../../x', '/etc/passwd', 'a\\..\\x', 'a\0b', '', 'a//b', './a', 'C:/x', 'a/.']) {
      expect(parseActionEntry({ ...good, outputs: [{ ...good.outputs[0], name }] }), name).toBeUndefined();
    }
    for (const digest of [{ hash: 'zz', size: 7 }, { hash, size: -1 }, { hash, size: 1.5 }, { hash, size: 1e300 }, { hash: hash.toUpperCase(), size: 1 }, 'x']) {
      expect(parseActionEntry({ ...good, outputs: [{ ...good.outputs[0], digest }] })).toBeUndefined();
    }
    expect(parseActionEntry({ kind: 'manifest', discovered: ['pkgs/a.glsl'] })?.kind).toBe('manifest');
    for (const path of ['/etc/passwd', '../secret', 'pkgs/../../secret', 'a\0']) {
      expect(parseActionEntry({ kind: 'manifest', discovered: [path] }), path).toBeUndefined();
    }
    expect(parseActionEntry('x'.repeat(ENTRY_LIMITS.maxBytes + 1))).toBeUndefined();
  });

  it('accepts parts with their digests and refuses an old entry without them, or parts that lie or leave their output', () => {
    const hash = digestOf(new TextEncoder().encode('x')).hash;
    const part = { kind: 'mip', index: 0, offset: 2, size: 5, hash };
    const output = { name: 'a.ktx2', digest: { hash, size: 7 }, meta: { width: 1 }, parts: [part] };
    const entry = (o: object) => ({ kind: 'result', outputs: [o], diagnostics: [], stats: {}, durationMs: 1 });
    const parsed = parseActionEntry(entry(output));
    expect(parsed?.kind === 'result' && parsed.outputs[0]!.parts).toEqual([part]);
    const { parts: _, ...old } = output;
    expect(parseActionEntry(entry(old)), 'an entry written before parts had digests').toBeUndefined();
    expect(parseActionEntry(entry({ ...old, meta: { parts: [{ kind: 'mip', index: 0, offset: 0, size: 7 }] } })), 'parts inside meta').toBeUndefined();
    const bad = [
      { ...part, offset: 3 }, // ends past the 7-byte output
      { ...part, size: 1e300 },
      { ...part, hash: 'abc' },
      { ...part, kind: 'texel' },
      { ...part, index: -1 },
    ];
    for (const p of bad) expect(parseActionEntry(entry({ ...output, parts: [p] })), JSON.stringify(p)).toBeUndefined();
  });
});

describe('remote entries and bodies', () => {
  const KEY = '0123456789abcdef'.repeat(4);

  /**
   * Puts `entry` on the remote the way another machine would (kiln writes what it is given:
   * only readers validate), through a read-write stack of its own.
   */
  async function publish(url: string, entry: ActionEntry): Promise<void> {
    const ci = await fixture.make({ url, mode: 'read-write' });
    await ci.stack.actions.put(KEY, entry);
    await ci.stack.flush?.();
  }
  const HASH = digestOf(new TextEncoder().encode('x')).hash;

  it('a remote manifest listing /etc/passwd is a miss and is never copied into the local cache', async () => {
    const server = await startFaultServer('record');
    try {
      await publish(server.url, { kind: 'manifest', discovered: ['/etc/passwd'] });
      const laptop = await fixture.make({ url: server.url, mode: 'read' });
      expect(await laptop.stack.actions.get(KEY)).toBeUndefined();
      expect(existsSync(join(laptop.localRoot, 'ac'))).toBe(false);
      const warnings = (await laptop.stack.flush?.()) ?? [];
      expect(storeRecords(laptop.localRoot, 'ac').has(KEY)).toBe(false);
      expect(warnings.filter((w) => w.includes('invalid entr'))).toHaveLength(1);
      // With the remote turned off the target is not poisoned.
      const offline = await fixture.make(undefined, {}, laptop.localRoot);
      expect(await offline.stack.actions.get(KEY)).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('an entry claiming a 100 GB blob is a miss without even requesting the blob', async () => {
    const server = await startFaultServer('record');
    try {
      const entry = { kind: 'result', outputs: [{ name: 'big.bin', digest: { hash: HASH, size: 100e9 }, meta: {}, parts: [] }], diagnostics: [], stats: {}, durationMs: 1 };
      await publish(server.url, entry as ActionEntry);
      server.requests.length = 0;
      const laptop = await fixture.make({ url: server.url, mode: 'read', timeoutMs: 500 });
      expect(await laptop.stack.actions.get(KEY)).toBeUndefined();
      // The entry itself is read; the blob it claims is never asked for.
      expect(server.requests.filter((r) => r.path.startsWith('/cas/') && r.path.includes(HASH))).toEqual([]);
      expect(server.requests.some((r) => r.path.startsWith('/ac/'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('an endless /ac/ body is cut off at the entry cap, not buffered', async () => {
    const endless = await endlessServer();
    try {
      const laptop = await fixture.make({ url: endless.url, mode: 'read', timeoutMs: 2000 });
      expect(await laptop.stack.actions.get(KEY)).toBeUndefined();
      expect(endless.sent()).toBeLessThan(2 * ENTRY_LIMITS.maxBytes + 8 * (1 << 20));
    } finally {
      await endless.close();
    }
  });

  it('a blob body longer than its digest size is cut off at the digest size', async () => {
    const endless = await endlessServer();
    try {
      const laptop = await fixture.make({ url: endless.url, mode: 'read', timeoutMs: 2000 });
      expect(await laptop.stack.blobs.get({ hash: HASH, size: 1000 })).toBeUndefined();
      expect(endless.sent()).toBeLessThan(8 * (1 << 20));
    } finally {
      await endless.close();
    }
  });
});

/** Answers every GET with a 200 whose body never ends (no content-length), counting what it sent. */
async function endlessServer(): Promise<{ url: string; sent(): number; close(): Promise<void> }> {
  let sent = 0;
  const sockets = new Set<Socket>();
  const chunk = Buffer.alloc(64 * 1024, 0x7b);
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const pump = () => {
      while (!response.destroyed && sent < 1 << 30) {
        sent += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent: () => sent,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
