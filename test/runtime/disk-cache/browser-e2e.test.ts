/**
 * The disk cache in headless Chromium with the IndexedDB store: a page loads a CLI-cooked level
 * over HTTP from a server that counts the bytes it serves. Reloading downloads 0 bundle bytes; a
 * corrupted record is detected and re-fetched; after a content update only the changed texture
 * is downloaded; with the asset server stopped the cached level still loads and the rest fails
 * as offline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../src/runtime/catalog-reader.js';
import { fileSource } from '../../../src/runtime/file-source.js';
import { CHROMIUM_ARGS, chromiumPath, startAppServer, type AppServer, type PlayResult } from './support/browser-harness.js';
import { CountingServer } from './support/counting-server.js';
import { cliBuilt, label, smallLevel, type SmallLevel } from './support/small-level.js';

const inCI = process.env.CI === 'true';
const built = await cliBuilt();
const reason = !chromiumPath ? 'no chromium at /usr/bin/chromium (apt-get install -y chromium)' : !built ? 'dist/src/cli/main.js is missing (npm run build)' : '';
if (reason && !inCI) console.warn(`[disk-cache browser] skipping: ${reason}; it runs when CI=true`);

const CATALOG = '/level/bundle.catalog.json';
const isTar = (path: string) => path.endsWith('.tar');

let tmp: string;
let level: SmallLevel;
let cdn: CountingServer;
let app: AppServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (reason && !inCI) return;
  tmp = await mkdtemp(join(tmpdir(), 'kiln-diskcache-browser-'));
  level = await smallLevel(tmp);
  cdn = new CountingServer(level.out);
  await cdn.start();
  app = await startAppServer();
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(app.url);
  await page.waitForFunction(() => (window as unknown as { kilnReady?: boolean }).kilnReady === true);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await cdn?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function reload(p: Page = page): Promise<void> {
  await p.reload();
  await p.waitForFunction(() => (window as unknown as { kilnReady?: boolean }).kilnReady === true);
}

function play(p: Page = page, cacheOptions: Record<string, unknown> = {}): Promise<PlayResult> {
  return p.evaluate(([url, options]) => (window as unknown as { kilnPlay: (u: string, k: string, o: unknown) => Promise<PlayResult> }).kilnPlay(url as string, 'indexeddb', options), [cdn.url + CATALOG, cacheOptions] as const);
}

function loadOne(p: Page, name: string): Promise<{ ok: boolean; code?: string; fingerprint?: string }> {
  return p.evaluate(([url, l]) => (window as unknown as { kilnLoadOne: (u: string, l: string) => Promise<{ ok: boolean; code?: string; fingerprint?: string }> }).kilnLoadOne(url!, l!), [cdn.url + CATALOG, label(name)]);
}

describe.skipIf(Boolean(reason) && !inCI)('disk cache in headless Chromium (IndexedDB)', () => {
  let first: PlayResult;

  it('downloads 0 bundle bytes when the page is reloaded', async () => {
    let mark = cdn.log.length;
    first = await play();
    expect(first.message ?? '').toBe('');
    expect(cdn.bytes(isTar, mark)).toBeGreaterThan(1_000_000);
    expect(first.metrics.disk!.bytesStored).toBeGreaterThan(1_000_000);
    await reload();
    mark = cdn.log.length;
    const second = await play();
    expect(second.ok).toBe(true);
    expect(cdn.bytes(isTar, mark)).toBe(0);
    expect(second.results).toEqual(first.results);
    expect(second.metrics.disk!.misses).toBe(0);
  });

  it('detects a corrupted cache entry and fetches it again', async () => {
    const key = await page.evaluate(() => (window as unknown as { kilnCorrupt: (size: number) => Promise<string> }).kilnCorrupt(65536));
    expect(key).toMatch(/-65536$/);
    await reload();
    const mark = cdn.log.length;
    const result = await play();
    expect(result.results).toEqual(first.results);
    expect(result.metrics.disk!.corruptDropped).toBe(1);
    expect(cdn.bytes(isTar, mark)).toBe(65536);
    await reload();
    const after = cdn.log.length;
    await play();
    expect(cdn.bytes(isTar, after)).toBe(0);
  });

  it('after a content update that changes one texture, the reload downloads that texture only', async () => {
    const before = first.results;
    await level.update('wall', 77);
    await reload();
    const mark = cdn.log.length;
    const updated = await play();
    expect(updated.ok).toBe(true);
    for (const name of ['ground', 'sky', 'layout']) expect(updated.results[label(name)]).toBe(before[label(name)]);
    expect(updated.results[label('wall')]).not.toBe(before[label('wall')]);
    const tarPaths = cdn.log.slice(mark).filter((r) => isTar(r.path));
    const bytes = cdn.bytes(isTar, mark);
    const cooked = await openCatalog(fileSource(join(level.out, 'level/bundle.catalog.json')));
    const wallSize = cooked.info(label('wall'))!.size;
    const indexBlock = (await cooked.bundleOf(label('wall'))).index.entries[0]!.offset;
    await cooked.close();
    expect(bytes).toBeGreaterThan(wallSize - 1000);
    expect(bytes).toBeLessThanOrEqual(wallSize + indexBlock);
    expect(tarPaths.length).toBeGreaterThan(0);
    first = updated;
  }, 60_000);

  it('works the same over the Cache Storage store, the measured alternative', async () => {
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(app.url);
    await otherPage.waitForFunction(() => (window as unknown as { kilnReady?: boolean }).kilnReady === true);
    const viaCaches = (kind: string) => otherPage.evaluate(([url, k]) => (window as unknown as { kilnPlay: (u: string, k: string) => Promise<PlayResult> }).kilnPlay(url!, k!), [cdn.url + CATALOG, kind]);
    const warm = await viaCaches('cache-storage');
    expect(warm.message ?? '').toBe('');
    await reload(otherPage);
    const mark = cdn.log.length;
    const again = await viaCaches('cache-storage');
    expect(again.results).toEqual(warm.results);
    expect(cdn.bytes(isTar, mark)).toBe(0);
    const bench = await otherPage.evaluate(() => (window as unknown as { kilnStoreBench: (k: string, c: number, s: number) => Promise<{ listed: number; got: number }> }).kilnStoreBench('cache-storage', 5, 1000));
    expect(bench).toMatchObject({ listed: 5, got: 5000 });
    await other.close();
  });

  it("lowers its budget to the origin's storage quota and asks for persistence when told to", async () => {
    const quota = await page.evaluate(async () => (await navigator.storage.estimate()).quota ?? 0);
    expect(quota).toBeGreaterThan(0);
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(app.url);
    await otherPage.waitForFunction(() => (window as unknown as { kilnReady?: boolean }).kilnReady === true);
    // a share of the quota that leaves room for the small mips only
    const result = await play(otherPage, { quotaShare: 200_000 / quota, persist: true });
    await other.close();
    expect(result.message ?? '').toBe('');
    expect(Object.keys(result.results)).toHaveLength(4);
    const disk = result.metrics.disk!;
    expect(disk.budget).toBeLessThan(200_000);
    expect(disk.writesSkipped).toBeGreaterThan(0);
    expect(disk.usedBytes).toBeLessThanOrEqual(disk.budget);
    expect(disk.bytesStored).toBeGreaterThan(0);
    expect(typeof disk.persisted).toBe('boolean');
  });

  it('loads the cached level with the asset server stopped, and says offline for the rest', async () => {
    // a second player who only ever loaded the layout
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(app.url);
    await otherPage.waitForFunction(() => (window as unknown as { kilnReady?: boolean }).kilnReady === true);
    expect((await loadOne(otherPage, 'layout')).ok).toBe(true);

    await cdn.stop();
    try {
      await reload();
      const offline = await play();
      expect(offline.message ?? '').toBe('');
      expect(offline.results).toEqual(first.results);

      await reload(otherPage);
      const layout = await loadOne(otherPage, 'layout');
      expect(layout).toMatchObject({ ok: true, fingerprint: first.results[label('layout')] });
      expect(await loadOne(otherPage, 'sky')).toMatchObject({ ok: false, code: 'offline' });

      const stranger = await browser.newContext();
      const strangerPage = await stranger.newPage();
      await strangerPage.goto(app.url);
      await strangerPage.waitForFunction(() => (window as unknown as { kilnReady?: boolean }).kilnReady === true);
      expect(await play(strangerPage)).toMatchObject({ ok: false, code: 'offline' });
      await stranger.close();
    } finally {
      await other.close();
      await cdn.start();
    }
  });
});
