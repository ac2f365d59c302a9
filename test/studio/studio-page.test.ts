import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildSummary } from '../../src/engine/build-result.js';
import { kiln } from '../support/run-kiln.js';
import { copySample } from '../support/sample-copy.js';
import { canvasStats, launchChromium, screenshot, serveKiln, skipReason, type Served } from './support/studio-browser.js';

const skip = skipReason();
if (skip) console.warn(`[studio] skipping the studio page tests: ${skip}`);

describe.skipIf(skip !== undefined)('kiln ui in headless Chromium (the sample, after a build)', () => {
  let sample: ReturnType<typeof copySample>;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let summary: BuildSummary;
  let labels: string[];

  beforeAll(async () => {
    sample = copySample('kiln-studio-');
    // A budget for the budgets tab: over on VRAM (a warning, so the build still succeeds), at on count.
    appendFileSync(join(sample.root, 'assets.yaml'), '\nbudgets:\n  "//levels/forest:grass": { max_vram_bytes: 100000, max_textures: 1, budget: warning }\n');
    // Only what the previews need: the whole bundle would double the time of this file.
    const build = kiln(sample.root, ['build', '//levels/forest:grass', '//props:fox']);
    expect(build.code, build.stderr).toBe(0);
    summary = build.summary!;
    labels = kiln(sample.root, ['query', '//...']).stdout.trim().split('\n');
    served = await serveKiln(sample.root, ['ui']);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready=true]');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    sample?.cleanup();
  });

  const pick = async (search: string, label: string) => {
    await page.fill('#search', search);
    await page.click(`.row-item[data-label="${label}"]`);
    await page.waitForSelector('#preview[data-ready]', { timeout: 30_000 });
  };

  it('lists every target of the sample', async () => {
    expect(labels.length).toBeGreaterThan(20);
    expect(await page.textContent('#count')).toBe(`${labels.length} of ${labels.length} targets`);
    const shown = await page.$$eval('.row-item', (rows) => rows.map((r) => (r as HTMLElement).dataset.label));
    expect(shown.slice(0, 10)).toEqual(labels.slice(0, 10));
    // Nothing selected: the whole workspace at its coarsest level of detail, one node per package.
    const packages = new Set(labels.map((l) => l.slice(2, l.indexOf(':'))));
    expect(await page.getAttribute('.graph-canvas', 'data-mode')).toBe('overview');
    expect(Number(await page.getAttribute('.graph-canvas', 'data-nodes'))).toBe(packages.size);
    await screenshot(page, 'overview');
  });

  it('finds a texture by search, and filters by type', async () => {
    await page.fill('#search', 'grass');
    expect(await page.$$eval('.row-item', (rows) => rows.map((r) => r.textContent))).toEqual(['//levels/forest:grasstexture']);
    await page.fill('#search', '');
    await page.selectOption('#filter-type', 'model');
    const models = await page.$$eval('.row-item', (rows) => rows.map((r) => (r as HTMLElement).dataset.label));
    expect(models.length).toBeGreaterThan(0);
    expect(models).toContain('//props:fox');
    expect(models).not.toContain('//levels/forest:grass');
    await page.selectOption('#filter-type', '');
  });

  it('filters by platform: what was built for it, or has its own settings for it', async () => {
    const shown = async (platform: string) => {
      await page.selectOption('#filter-platform', platform);
      return page.$$eval('.row-item', (rows) => rows.map((r) => (r as HTMLElement).dataset.label));
    };
    try {
      const built = summary.targets.map((t) => t.label);
      expect(await shown('desktop')).toEqual(expect.arrayContaining(built));
      const mobile = await shown('mobile');
      // Nothing was built for mobile: only targets with their own mobile settings (the rocks' max_size) remain.
      expect(mobile).toEqual(expect.arrayContaining(['//levels/forest:rocks/rock_01', '//levels/forest:rocks/rock_02', '//levels/forest:rocks/rock_03']));
      expect(mobile).not.toContain('//levels/forest:grass');
      expect(mobile).not.toContain('//props:fox');
    } finally {
      await page.selectOption('#filter-platform', '');
    }
  });

  it('previews the cooked BC7 texture with pixels that resemble the source PNG, per mip', async () => {
    await pick('forest:grass', '//levels/forest:grass');
    await screenshot(page, 'texture-preview');
    const drawn = await canvasStats(page, '.texture-canvas');
    expect([drawn.width, drawn.height]).toEqual([512, 512]);
    const source = await sharp(join(sample.root, 'sample-project/levels/forest/textures/grass.png')).removeAlpha().stats();
    const [r, g, b] = source.channels.map((c) => c.mean);
    expect(drawn.stddev).toBeGreaterThan(3);
    expect(Math.abs(drawn.mean[0] - r!)).toBeLessThan(10);
    expect(Math.abs(drawn.mean[1] - g!)).toBeLessThan(10);
    expect(Math.abs(drawn.mean[2] - b!)).toBeLessThan(10);
    await page.click('button[data-mip="2"]');
    const mip2 = await canvasStats(page, '.texture-canvas');
    expect([mip2.width, mip2.height]).toEqual([128, 128]);
    expect(Math.abs(mip2.mean[1] - g!)).toBeLessThan(12);
    const vram = summary.targets.find((t) => t.label === '//levels/forest:grass')!.stats.gpu_bytes as number;
    expect(await page.textContent('#outputs')).toContain(`${(vram / 1024).toFixed(1)} KiB`);
  });

  it('renders a model preview with the triangle count of each LOD', async () => {
    await pick('props:fox', '//props:fox');
    await screenshot(page, 'model-preview');
    const stats = summary.targets.find((t) => t.label === '//props:fox')!.stats;
    expect(Number(await page.getAttribute('.model-canvas', 'data-triangles'))).toBe(stats.lod0_triangles);
    const drawn = await canvasStats(page, '.model-canvas');
    expect(drawn.nonBackground).toBeGreaterThan(0.02);
    await page.click('button[data-lod="2"]');
    await page.waitForFunction(() => document.querySelector('.model-canvas')?.getAttribute('data-lod') === '2');
    expect(Number(await page.getAttribute('.model-canvas', 'data-triangles'))).toBe(stats.lod2_triangles);
  });

  it('shows the last build with a timeline and the cache hit rate', async () => {
    await page.click('button[data-tab="builds"]');
    await page.waitForSelector('.timeline .span');
    await screenshot(page, 'builds');
    const spans = await page.$$eval('.timeline .span', (els) => els.map((e) => e.textContent));
    expect(spans).toContain('//props:fox');
    expect(await page.textContent('#build-detail')).toMatch(/cache hit rate \d+(\.\d+)?%/);
    await page.click('button[data-tab="targets"]');
  });

  it('shows budgets as bars against their limits, with the offender', async () => {
    await page.click('button[data-tab="budgets"]');
    await page.waitForSelector('tr.budget');
    await screenshot(page, 'budgets');
    const rows = await page.$$eval('tr.budget', (trs) => trs.map((tr) => ({
      status: tr.className,
      text: tr.textContent,
      bar: ((tr.querySelector('.bar') as HTMLElement).className),
      width: ((tr.querySelector('.bar > div') as HTMLElement).style.width),
    })));
    const vram = rows.find((r) => r.text!.includes('vram_bytes'))!;
    expect(vram).toMatchObject({ status: 'budget over', bar: 'bar warn', width: '100%' });
    expect(vram.text).toContain('//levels/forest:grass');
    expect(rows.find((r) => r.text!.includes('textures'))).toMatchObject({ status: 'budget at', bar: 'bar ok', width: '100%' });
    await page.click('button[data-tab="targets"]');
  });

  it('shows a failed build\'s errors with file:line', async () => {
    writeFileSync(join(sample.root, 'sample-project/levels/forest/textures/bark.png'), 'not a png');
    const failed = kiln(sample.root, ['build', '//levels/forest:bark']);
    expect(failed.code).toBe(1);
    await page.click('button[data-tab="builds"]');
    await page.waitForSelector('pre.failure');
    expect(await page.textContent('pre.failure')).toMatch(/^sample-project\/levels\/forest\/textures\/bark\.png(:\d+)*: \/\/levels\/forest:bark: /);
    await page.click('button[data-tab="targets"]');
  });

  it('answers its API to its own page only: a foreign origin cannot read it', async () => {
    const foreign: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    try {
      const evil = await browser.newPage();
      await evil.goto(`http://localhost:${(foreign.address() as AddressInfo).port}/`);
      const outcome = await evil.evaluate(async (url) => {
        try {
          const response = await fetch(`${url}/api/graph`);
          return `read ${(await response.text()).length} bytes`;
        } catch (error) {
          return `blocked: ${(error as Error).name}`;
        }
      }, served.url);
      expect(outcome).toBe('blocked: TypeError');
      await evil.close();
    } finally {
      foreign.close();
    }
    const status = (headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
      const url = new URL(`${served.url}/api/graph`);
      request({ host: url.hostname, port: url.port, path: url.pathname, headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(await status({ origin: 'http://evil.example' })).toBe(403);
    expect(await status({ host: 'evil.example' })).toBe(403);
    expect(await status({ origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await status({})).toBe(200);
  });
});
