/**
 * A real watch session (in-process) on a temp workspace and a Node hot-reload client talking to it
 * over HTTP and WebSocket: every edit kind from the issue, checked through messages, the client's
 * swapped assets, the served blobs and kiln-out.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openBundle, type BundleReader } from '../../src/runtime/bundle-reader.js';
import type { HotReloadClient, ReloadEvent } from '../../src/runtime/hot-reload-client.js';
import type { LiveAsset } from '../../src/runtime/hot-reload-live-asset.js';
import { httpSource } from '../../src/runtime/http-source.js';
import type { LoadedData, LoadedTexture } from '../../src/runtime/loaded-asset.js';
import type { WatchSession } from '../../src/watch/watch-session.js';
import { ROOT_YAML, tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { atomicSave, is, MessageLog, nodeClient, pngOf, startTestWatch } from './support/watch-fixture.js';

const GAME = `targets:
  hero: { rule: texture, srcs: [hero.png], format: rgba8 }
  stats: { rule: data, srcs: [stats.json] }
  rocks: { rule: files, glob: "rocks/*.txt" }
  bundle: { rule: bundle, deps: [":hero", ":stats", ":rocks"] }
`;

let ws: TempWorkspace;
let session: WatchSession;
let log: MessageLog;
let client: HotReloadClient;
let reader: BundleReader;
let liveStats: LiveAsset;
const reloads: ReloadEvent[] = [];
const path = (rel: string) => join(ws.root, 'pkgs/game', rel);

async function rawRgba(png: Buffer): Promise<Uint8Array> {
  return new Uint8Array(await sharp(png).ensureAlpha().raw().toBuffer());
}

async function clientReload(label: string, from: number): Promise<ReloadEvent> {
  const seen = reloads.slice(from).find((r) => r.label === label);
  if (seen) return seen;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client never reloaded ${label}`)), 20_000);
    const off = client.on('reload', (event) => {
      if (event.label !== label) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

beforeAll(async () => {
  ws = tempWorkspace({
    'pkgs/game/assets.yaml': GAME,
    'pkgs/game/hero.png': await pngOf(64, [200, 30, 30]),
    'pkgs/game/stats.json': '{"hp": 10}',
    'pkgs/game/rocks/a.txt': 'rock a',
    'pkgs/game/rocks/b.txt': 'rock b',
  });
  ({ session, log } = await startTestWatch(ws.root, ['//game:all']));
  client = nodeClient(session.url);
  client.on('reload', (event) => reloads.push(event));
  await client.connect();
  const bundle = client.versions.get('//game:bundle')!;
  reader = await openBundle(httpSource(`${session.url}/cas/${bundle.outputs[0]!.digest}`));
  client.attach(reader.loader);
  await reader.load('//game:hero');
  liveStats = await client.live('//game:stats');
}, 120_000);

// Each test starts from a quiet session: a target is announced as soon as it is built, before
// the bundles holding it re-cook, so the previous test can return while its build still runs.
beforeEach(() => session.loop.idle());

afterAll(async () => {
  client?.close();
  await session?.close();
  ws?.cleanup();
});

describe('kiln watch with a Node client', () => {
  it('greets with every target and serves their blobs by digest, with ranges, and nothing else', async () => {
    expect([...client.versions.keys()].sort()).toEqual(['//game:bundle', '//game:hero', '//game:rocks/a', '//game:rocks/b', '//game:stats']);
    const hero = client.versions.get('//game:hero')!;
    expect(hero.assetType).toBe('texture');
    expect(hero.outputs[0]!.parts.filter((p) => p.kind === 'mip')).toHaveLength(7);
    const digest = hero.outputs[0]!.digest;
    const whole = await fetch(`${session.url}/cas/${digest}`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(readFileSync(join(ws.root, 'kiln-out/desktop/game/hero.ktx2')));
    const part = hero.outputs[0]!.parts[1]!;
    const ranged = await fetch(`${session.url}/cas/${digest}`, { headers: { Range: `bytes=${part.offset}-${part.offset + part.size - 1}` } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(part.size);
    expect((await fetch(`${session.url}/cas/${'0'.repeat(64)}-5`)).status).toBe(404);
    expect((await fetch(`${session.url}/cas/..%2F..%2Fassets.yaml`)).status).toBe(400);
    expect((await fetch(`${session.url}/pkgs/game/stats.json`)).status).toBe(404);
    expect((await fetch(`${session.url}/assets.yaml`)).status).toBe(404);
  });

  it('editing a texture pushes changed with the parts that changed, and swaps it into the reader cache', async () => {
    const from = log.all.length;
    const fromReload = reloads.length;
    const handled: ReloadEvent[] = [];
    const off = client.onReload('texture', (event) => void handled.push(event));
    const before = (await reader.load<LoadedTexture>('//game:hero'));
    const png = await pngOf(64, [200, 30, 30], [10, 240, 10]);
    writeFileSync(path('hero.png'), png);
    const changed = await log.next(is('changed', '//game:hero'), from);
    await log.next(is('changed', '//game:bundle'), from);
    const reload = await clientReload('//game:hero', fromReload);
    off();
    const after = reload.asset as LoadedTexture;
    expect(after.mips[0]!.bytes).toEqual(await rawRgba(png));
    // The reader's cache now answers with the new version (no reload of the bundle).
    expect(await reader.load('//game:hero')).toBe(after);
    expect(handled.map((e) => e.label)).toEqual(['//game:hero']);
    expect(handled[0]!.previous).toBe(before);
    // The parts listed are exactly the mips whose bytes differ.
    const differing = after.mips.filter((m, i) => !Buffer.from(m!.bytes).equals(Buffer.from(before.mips[i]!.bytes))).map((m) => m!.level);
    expect(changed.parts.filter((p) => p.kind === 'mip').map((p) => p.index).sort()).toEqual(differing.sort());
    expect(differing).toContain(0);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/game/hero.ktx2')).length).toBe(changed.outputs[0]!.size);
    expect(changed.cookMs).toBeGreaterThan(0);
  });

  it('a second small edit of the same texture fetches only the changed mips', async () => {
    const fromReload = reloads.length;
    const bytesBefore = client.metrics().bytesFetched;
    const partialBefore = client.metrics().partialFetches;
    const png = await pngOf(64, [200, 30, 30], [10, 10, 240]);
    writeFileSync(path('hero.png'), png);
    const reload = await clientReload('//game:hero', fromReload);
    expect((reload.asset as LoadedTexture).mips[0]!.bytes).toEqual(await rawRgba(png));
    const whole = reload.version.outputs[0]!.size;
    const metrics = client.metrics();
    if (reload.change!.parts.length < reload.version.outputs[0]!.parts.length) {
      expect(metrics.partialFetches).toBe(partialBefore + 1);
      expect(metrics.bytesFetched - bytesBefore).toBeLessThan(whole);
    }
    // Whatever was fetched, the result equals decoding the whole new blob.
    const fresh = await client.blob(reload.digest);
    expect(fresh.length).toBe(whole);
  });

  it('an atomic save of a data file updates live handles', async () => {
    const from = log.all.length;
    atomicSave(path('stats.json'), '{"hp": 25, "mp": 7}');
    await log.next(is('changed', '//game:stats'), from);
    await clientReload('//game:stats', 0).then(() => client.settled());
    await expect.poll(() => (liveStats.current as LoadedData).value).toEqual({ hp: 25, mp: 7 });
    expect(log.since(from).some(is('removed'))).toBe(false);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/game/stats.json'), 'utf8')).toBe('{"hp":25,"mp":7}');
  });

  it('editing assets.yaml re-reads that package: a new target appears, nothing else re-cooks', async () => {
    writeFileSync(path('more.json'), '{"level": 2}');
    const from = log.all.length;
    writeFileSync(path('assets.yaml'), `${GAME}  more: { rule: data, srcs: [more.json] }\n`);
    const changed = await log.next(is('changed', '//game:more'), from);
    expect(changed.assetType).toBe('data');
    const finished = await log.next(is('build-finished'), from);
    expect(finished.executed).toBe(1);
    await expect.poll(() => client.versions.has('//game:more')).toBe(true);
    expect(((await client.load('//game:more')) as LoadedData).value).toEqual({ level: 2 });
  });

  it('a broken package assets.yaml is an error, not a deletion; fixing it recovers', async () => {
    const from = log.all.length;
    writeFileSync(path('assets.yaml'), `${GAME}  more: { rule: data, srcs: [more.json]\n`);
    const error = await log.next(is('error'), from);
    expect(error.file).toBe('pkgs/game/assets.yaml');
    await log.next(is('build-finished'), from);
    await session.loop.idle();
    expect(log.since(from).filter(is('removed'))).toEqual([]);
    expect(session.loop.current.has('//game:hero')).toBe(true);
    const from2 = log.all.length;
    writeFileSync(path('assets.yaml'), `${GAME}  more: { rule: data, srcs: [more.json] }\n`);
    await log.next(is('recovered'), from2);
    await log.next(is('build-finished'), from2);
    await session.loop.idle();
    expect(log.since(from2).filter(is('removed'))).toEqual([]);
    await expect.poll(() => client.errors.size).toBe(0);
  });

  it('deleting sources removes their targets (glob member and explicit source)', async () => {
    const from = log.all.length;
    rmSync(path('rocks/b.txt'));
    const removed = await log.next(is('removed', '//game:rocks/b'), from);
    expect(removed.assetId).toMatch(/^[0-9a-f]{16}$/);
    await log.next(is('changed', '//game:bundle'), from);
    await expect.poll(() => client.versions.has('//game:rocks/b')).toBe(false);

    const from2 = log.all.length;
    rmSync(path('more.json'));
    const gone = await log.next(is('removed', '//game:more'), from2);
    expect(gone.reason).toContain('source file not found');
    expect(log.since(from2).some(is('error', '//game:more'))).toBe(false);
  });

  it('a new file matching a glob becomes a target', async () => {
    const from = log.all.length;
    writeFileSync(path('rocks/c.txt'), 'rock c');
    const changed = await log.next(is('changed', '//game:rocks/c'), from);
    expect(changed.assetType).toBe('files');
    expect(Buffer.from(await client.blob(changed.digest)).toString()).toBe('rock c');
  });

  it('a corrupt save reports the error and keeps serving the last good version; fixing it recovers', async () => {
    const good = session.loop.current.get('//game:stats')!.outputs[0]!.digest;
    const from = log.all.length;
    writeFileSync(path('stats.json'), '{"hp": 25,\n "mp": 7 x}');
    const error = await log.next(is('error', '//game:stats'), from);
    expect(error.file).toBe('pkgs/game/stats.json');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/invalid JSON/);
    await log.next(is('build-finished'), from);
    expect(session.loop.current.get('//game:stats')!.outputs[0]!.digest).toBe(good);
    expect((await fetch(`${session.url}/cas/${good}`)).status).toBe(200);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/game/stats.json'), 'utf8')).toBe('{"hp":25,"mp":7}');
    expect((liveStats.current as LoadedData).value).toEqual({ hp: 25, mp: 7 });
    // A client connecting now learns about the failure from the snapshot.
    const late = nodeClient(session.url);
    await late.connect();
    expect(late.errors.get('//game:stats')?.line).toBe(2);
    expect(late.versions.get('//game:stats')!.outputs[0]!.digest).toBe(good);
    late.close();

    const from2 = log.all.length;
    writeFileSync(path('stats.json'), '{"hp": 30}');
    await log.next(is('recovered', '//game:stats'), from2);
    await log.next(is('changed', '//game:stats'), from2);
    await expect.poll(() => (liveStats.current as LoadedData).value).toEqual({ hp: 30 });
  });

  it('ignores editor temp files and folds a burst of saves into few builds with the last content', async () => {
    await session.loop.idle();
    const from = log.all.length;
    for (const name of ['hero.png.swp', '4913', '.#stats.json', 'stats.json~', 'x.tmp']) writeFileSync(path(name), 'junk');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(log.since(from).filter(is('build-started'))).toEqual([]);

    for (let i = 0; i < 30; i++) writeFileSync(path('stats.json'), `{"hp": ${i}}`);
    await expect.poll(() => readFileSync(join(ws.root, 'kiln-out/desktop/game/stats.json'), 'utf8'), { timeout: 10_000 }).toBe('{"hp":29}');
    await session.loop.idle();
    const last = log.since(from).filter(is('changed', '//game:stats')).at(-1)!;
    expect(Buffer.from(await client.blob(last.digest)).toString()).toBe('{"hp":29}');
    expect(log.since(from).filter(is('build-started')).length).toBeLessThan(10);
  });

  it('a whole folder deleted, then moved back in, removes and re-adds its targets', async () => {
    const from = log.all.length;
    rmSync(path('rocks'), { recursive: true });
    await log.next(is('removed', '//game:rocks/a'), from);
    await log.next(is('removed', '//game:rocks/c'), from);
    const staging = join(ws.root, 'staging');
    mkdirSync(join(staging, 'rocks'), { recursive: true });
    writeFileSync(join(staging, 'rocks/d.txt'), 'rock d');
    writeFileSync(join(staging, 'rocks/e.txt'), 'rock e');
    const from2 = log.all.length;
    renameSync(join(staging, 'rocks'), path('rocks'));
    await log.next(is('changed', '//game:rocks/d'), from2);
    await log.next(is('changed', '//game:rocks/e'), from2);
    expect(existsSync(join(ws.root, 'kiln-out/desktop/game/rocks/d.txt'))).toBe(true);
  });

  it('the client reconnects after the server restarts and catches up on what changed meanwhile', async () => {
    const port = session.port;
    const disconnected = new Promise<void>((resolve) => client.on('disconnected', () => resolve()));
    await session.close();
    await disconnected;
    writeFileSync(path('stats.json'), '{"hp": 99}');
    ({ session, log } = await startTestWatch(ws.root, ['//game:all'], { port }));
    await expect.poll(() => (liveStats.current as LoadedData | undefined)?.value, { timeout: 15_000 }).toEqual({ hp: 99 });
    expect(client.metrics().reconnects).toBeGreaterThan(0);
    // The restarted server's first build found the edit by stat.
    expect(session.loop.builds).toBe(1);
    const metrics = client.metrics();
    expect(metrics.reloads).toBeGreaterThan(3);
    expect(metrics.reloadsPerMinute).toBeGreaterThan(3);
    expect(metrics.latency.count).toBeGreaterThan(0);
    expect(metrics.latency.buckets.reduce((n, b) => n + b.count, 0)).toBe(metrics.latency.count);
  });

  it('editing the root assets.yaml re-reads platform settings and re-cooks what they affect', async () => {
    const from = log.all.length;
    writeFileSync(join(ws.root, 'assets.yaml'), ROOT_YAML.replace('desktop: {}', 'desktop: { texture: { max_size: 16 } }'));
    const changed = await log.next(is('changed', '//game:hero'), from);
    expect(changed.outputs[0]!.meta.width).toBe(16);
    await log.next(is('build-finished'), from);
    // (//game:more still fails — its source was deleted above — but that is a removal, not an error.)
    expect(log.since(from).filter(is('error'))).toEqual([]);
    expect(log.since(from).some(is('changed', '//game:rocks/d'))).toBe(false);
    expect(session.loop.builder.platform).toBe('desktop');

    const from2 = log.all.length;
    writeFileSync(join(ws.root, 'assets.yaml'), 'workspace: [broken');
    const error = await log.next(is('error', 'assets.yaml'), from2);
    expect(error.file).toBe('assets.yaml');
    writeFileSync(join(ws.root, 'assets.yaml'), ROOT_YAML);
    const back = await log.next(is('changed', '//game:hero'), from2);
    expect(back.outputs[0]!.meta.width).toBe(64);
  });
});
