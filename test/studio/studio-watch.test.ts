import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { launchChromium, screenshot, serveKiln, skipReason, type Served } from './support/studio-browser.js';

const skip = skipReason();
if (skip) console.warn(`[studio] skipping the studio page under kiln watch: ${skip}`);

const ROOT = `workspace: { name: live, packages: pkgs }
default_platform: desktop
rules:
  texture: { effort: fast, pot: warn }
platforms:
  desktop: { texture: { format: rgba8, max_size: 64 } }
`;

const PACKAGE = `targets:
  stone: { rule: texture, srcs: [stone.png] }
  layout: { rule: data, srcs: [layout.yaml] }
  bundle: { rule: bundle, deps: [":stone", ":layout"] }
`;

describe.skipIf(skip !== undefined)('the studio page at / of kiln watch', () => {
  let ws: TempWorkspace;
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const png = await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 90, g: 120, b: 150, alpha: 1 } } }).png().toBuffer();
    ws = tempWorkspace({ 'pkgs/level/assets.yaml': PACKAGE, 'pkgs/level/layout.yaml': 'spawn: [0, 0, 0]\n', 'pkgs/level/stone.png': png }, ROOT);
    served = await serveKiln(ws.root, ['watch', '//level:bundle']);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready=true]');
    await page.waitForFunction(() => document.getElementById('live-status')?.textContent?.startsWith('watching'));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    ws?.cleanup();
  });

  it('shows a save within a second, without reloading the page', async () => {
    await page.fill('#search', 'layout');
    await page.click('.row-item[data-label="//level:layout"]');
    await page.waitForSelector('.live-digest');
    const before = await page.textContent('.live-digest');
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const saved = Date.now();
    writeFileSync(join(ws.root, 'pkgs/level/layout.yaml'), 'spawn: [4, 0, 2]\nwaves: 3\n');
    await page.waitForFunction((old) => {
      const now = document.querySelector('.live-digest')?.textContent;
      return now !== undefined && now !== null && now !== old;
    }, before, { timeout: 10_000 });
    const elapsed = Date.now() - saved;
    await screenshot(page, 'watch-update');
    expect(elapsed, `page updated ${elapsed} ms after the save`).toBeLessThan(1000);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.textContent('#preview')).toContain('waves');
  });

  it('shows a broken assets.yaml with file:line, and clears it when fixed', async () => {
    writeFileSync(join(ws.root, 'pkgs/level/assets.yaml'), `${PACKAGE}  broken: { rule: texture, srcs: [stone.png]\n`);
    await page.waitForSelector('#errors:not([hidden])', { timeout: 10_000 });
    await screenshot(page, 'watch-broken-yaml');
    expect(await page.textContent('#errors')).toMatch(/pkgs\/level\/assets\.yaml:\d+(:\d+)?/);
    writeFileSync(join(ws.root, 'pkgs/level/assets.yaml'), PACKAGE);
    await page.waitForSelector('#errors[hidden]', { state: 'attached', timeout: 10_000 });
  });
});
