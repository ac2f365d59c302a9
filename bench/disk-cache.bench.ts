/**
 * Runtime disk cache benchmark (`npm run bench -- disk-cache`, or `node dist/bench/disk-cache.bench.js`).
 *
 * 1. Second start of a level over HTTP, without and with the disk cache: time to the first mip,
 *    time until every asset is loaded, and bytes downloaded. The level is cooked by the real CLI
 *    (three 1024² rgba8 textures streamed mip by mip, plus a data file) and served by a local
 *    server over a simulated link (latency per response and a byte rate), once in Node with the
 *    folder store and once in headless Chromium with IndexedDB. Median of several starts.
 * 2. The browser store choice: IndexedDB vs Cache Storage in Chromium, put / list / get of many
 *    records the sizes kiln's parts have.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLoader } from '../src/runtime/asset-loader.js';
import { openCatalog } from '../src/runtime/catalog-reader.js';
import { DiskCache } from '../src/runtime/disk-cache/disk-cache.js';
import { folderStore } from '../src/runtime/disk-cache/folder-store.js';
import { httpSource } from '../src/runtime/http-source.js';
import { CHROMIUM_ARGS, chromiumPath, startAppServer, type PlayResult } from '../test/runtime/disk-cache/support/browser-harness.js';
import { CountingServer, type Link } from '../test/runtime/disk-cache/support/counting-server.js';
import { cliBuilt, smallLevel } from '../test/runtime/disk-cache/support/small-level.js';
import { machineInfo } from './machine-info.js';

const CATALOG = '/level/bundle.catalog.json';
const RUNS = 9;
const LINKS: { name: string; link: Link }[] = [
  { name: 'localhost', link: { latencyMs: 0, bytesPerSecond: Infinity } },
  { name: '20 ms, 8 MiB/s', link: { latencyMs: 20, bytesPerSecond: 8 << 20 } },
];

interface Start {
  firstMipMs: number;
  allMs: number;
  bytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

async function nodeStart(server: CountingServer, dir: string | undefined): Promise<Start> {
  const mark = server.log.length;
  const started = performance.now();
  const disk = dir ? new DiskCache({ store: folderStore(dir) }) : undefined;
  const catalog = await openCatalog(httpSource(server.url + CATALOG), { loader: createLoader({ diskCache: disk }) });
  let firstMipMs = 0;
  await Promise.all(
    catalog.assets().map(async (a) => {
      if (a.type !== 'texture') return catalog.load(a.label);
      const handle = catalog.stream(a.label);
      handle.on('part', (_asset, part) => {
        if (part?.kind === 'mip' && firstMipMs === 0) firstMipMs = performance.now() - started;
      });
      return handle.done;
    }),
  );
  const allMs = performance.now() - started;
  await disk?.close();
  return { firstMipMs, allMs, bytes: server.bytes(() => true, mark) };
}

function row(where: string, link: string, mode: string, runs: Start[]): string {
  return `| ${where} | ${link} | ${mode} | ${fmt(median(runs.map((r) => r.firstMipMs)))} | ${fmt(median(runs.map((r) => r.allMs)))} | ${kib(median(runs.map((r) => r.bytes)))} |`;
}

export async function bench(): Promise<string> {
  if (!(await cliBuilt())) return 'Skipped: dist/src/cli/main.js is missing (npm run build).\n';
  const tmp = await mkdtemp(join(tmpdir(), 'kiln-bench-diskcache-'));
  const lines: string[] = [];
  try {
    const level = await smallLevel(tmp, 1024);
    lines.push(
      '## Runtime disk cache',
      '',
      `Machine: ${machineInfo()}.`,
      '',
      'Level: `//level:bundle` cooked by the CLI — three 1024² rgba8 textures (11 mips each, streamed part by part) and a data file; ' +
        `median of ${RUNS} second starts (the first start, which fills the cache, is not counted). "bytes" are everything the server sent, the catalog included.`,
      '',
      '| host | link | disk cache | first mip | all loaded | bytes downloaded |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const { name, link } of LINKS) {
      const server = new CountingServer(level.out, Number.isFinite(link.bytesPerSecond) ? link : undefined);
      await server.start();
      try {
        const without: Start[] = [];
        const withCache: Start[] = [];
        const dir = join(tmp, `node-cache-${name.replace(/\W+/g, '-')}`);
        await nodeStart(server, dir);
        for (let i = 0; i < RUNS; i++) {
          without.push(await nodeStart(server, undefined));
          withCache.push(await nodeStart(server, dir));
        }
        lines.push(row('Node (folder store)', name, 'off', without), row('Node (folder store)', name, 'on', withCache));
        lines.push(...(await browserRows(server, name)));
      } finally {
        await server.stop();
      }
    }
    lines.push('', ...(await storeChoice()));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return `${lines.join('\n')}\n`;
}

async function browserRows(server: CountingServer, linkName: string): Promise<string[]> {
  if (!chromiumPath) return [`| Chromium | ${linkName} | — | skipped: no chromium | | |`];
  const { chromium } = await import('playwright-core');
  const app = await startAppServer();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const play = async (kind: string): Promise<Start> => {
      await page.goto(app.url);
      await page.waitForFunction(() => (window as unknown as { kilnReady?: boolean }).kilnReady === true);
      const mark = server.log.length;
      const result = await page.evaluate(([url, k]) => (window as unknown as { kilnPlay: (u: string, k: string) => Promise<PlayResult> }).kilnPlay(url!, k!), [server.url + CATALOG, kind]);
      if (!result.ok) throw new Error(`page: ${result.code}: ${result.message}`);
      return { firstMipMs: result.firstMipMs, allMs: result.allMs, bytes: server.bytes(() => true, mark) };
    };
    await play('indexeddb');
    const without: Start[] = [];
    const withCache: Start[] = [];
    for (let i = 0; i < RUNS; i++) {
      without.push(await play('none'));
      withCache.push(await play('indexeddb'));
    }
    return [row('Chromium (IndexedDB)', linkName, 'off', without), row('Chromium (IndexedDB)', linkName, 'on', withCache)];
  } finally {
    await browser.close();
    await app.close();
  }
}

/** IndexedDB vs Cache Storage in Chromium: the numbers behind the default browser store. */
async function storeChoice(): Promise<string[]> {
  if (!chromiumPath) return ['Store choice: skipped (no chromium).'];
  const { chromium } = await import('playwright-core');
  const app = await startAppServer();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const out = ['Browser store choice (Chromium, median of 3; put = all records written concurrently, list = the start-up listing, get = all read back):', '', '| store | records | put | list | get |', '| --- | --- | --- | --- | --- |'];
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(app.url);
    await page.waitForFunction(() => (window as unknown as { kilnReady?: boolean }).kilnReady === true);
    for (const [count, size] of [
      [500, 4096],
      [200, 65536],
      [20, 1 << 20],
    ] as const) {
      for (const kind of ['indexeddb', 'cache-storage']) {
        const runs: { putMs: number; listMs: number; getMs: number }[] = [];
        for (let i = 0; i < 3; i++) {
          runs.push(await page.evaluate(([k, c, s]) => (window as unknown as { kilnStoreBench: (k: string, c: number, s: number) => Promise<{ putMs: number; listMs: number; getMs: number }> }).kilnStoreBench(k as string, c as number, s as number), [kind, count, size] as const));
        }
        out.push(`| ${kind} | ${count} × ${kib(size)} | ${fmt(median(runs.map((r) => r.putMs)))} | ${fmt(median(runs.map((r) => r.listMs)))} | ${fmt(median(runs.map((r) => r.getMs)))} |`);
      }
    }
  } finally {
    await browser.close();
    await app.close();
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await bench());
