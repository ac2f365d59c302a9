/**
 * Headless Chromium runs sample-project/web/hot-reload.html against a real watch session; a
 * texture file is edited on disk and the page's canvas pixels change without a page reload.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-kiln.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { pngOf, startTestWatch } from '../watch/support/watch-fixture.js';
import type { WatchSession } from '../../src/watch/watch-session.js';

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
if (!CHROMIUM && process.env.CI !== 'true') console.log('hot-reload browser test skipped: no chromium at /usr/bin/chromium (apt-get install -y chromium); it runs when CI=true');

/** Static files the page needs, and only those (the watch server itself serves no files). */
const ALLOWED = ['dist/src/', 'node_modules/fzstd/', 'sample-project/web/hot-reload.'];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

function pageServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    const file = join(REPO_ROOT, rel);
    if (!ALLOWED.some((prefix) => rel.startsWith(prefix)) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

let ws: TempWorkspace | undefined;
let session: WatchSession | undefined;
let pages: Server | undefined;
afterAll(async () => {
  await session?.close();
  pages?.close();
  ws?.cleanup();
});

it.runIf(CHROMIUM !== undefined || process.env.CI === 'true')('a texture edited on disk changes the page pixels without a reload', async () => {
  if (!CHROMIUM) throw new Error('CI=true but chromium is not installed at /usr/bin/chromium');
  if (!existsSync(join(REPO_ROOT, 'dist/src/runtime/hot-reload-client.js'))) throw new Error('dist/ is missing: run "npm run build" first');
  const { chromium } = await import('playwright-core');
  ws = tempWorkspace({
    'pkgs/game/assets.yaml': 'targets:\n  hero: { rule: texture, srcs: [hero.png], format: rgba8 }\n',
    'pkgs/game/hero.png': await pngOf(32, [220, 20, 20]),
  });
  ({ session } = await startTestWatch(ws.root, ['//game:hero']));
  const served = await pageServer();
  pages = served.server;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${served.url}/sample-project/web/hot-reload.html?server=${encodeURIComponent(session.url)}&label=${encodeURIComponent('//game:hero')}`);
    const draws = () => page.evaluate(() => (window as unknown as { hotReload?: { draws: number; error?: string } }).hotReload);
    await expect.poll(draws, { timeout: 20_000 }).toMatchObject({ draws: 1 });
    const pixel = () => page.evaluate(() => Array.from((document.getElementById('view') as HTMLCanvasElement).getContext('2d')!.getImageData(16, 16, 1, 1).data));
    expect(await pixel()).toEqual([220, 20, 20, 255]);
    // A marker that a page reload would wipe out.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    writeFileSync(join(ws.root, 'pkgs/game/hero.png'), await pngOf(32, [20, 40, 230]));
    await expect.poll(pixel, { timeout: 20_000 }).toEqual([20, 40, 230, 255]);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect((await draws())!.draws).toBe(2);
    expect(await page.locator('#status').textContent()).toMatch(/1 reloads\/min/);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
}, 90_000);
