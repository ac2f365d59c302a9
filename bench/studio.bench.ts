/**
 * The studio page on the 10k-target generated workspace: from navigation to the target list
 * drawn (graph fetched, indexed, first rows rendered), a search over all targets, and opening a
 * bundle with 100 dependencies (details + neighbourhood graph). Target: the graph view opens in
 * under 2 s. Headless Chromium (software GL) and `kiln ui` as a child process, as a user runs it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorkspace } from './generate-workspace.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function bench(): Promise<string> {
  if (!CHROMIUM) return 'skipped: no chromium (apt-get install -y chromium)\n';
  const root = mkdtempSync(join(tmpdir(), 'kiln-bench-studio-'));
  const generated = generateWorkspace(root, { assets: 10_000, packages: 100 });
  const child = spawn(process.execPath, [CLI, 'ui'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('close', () => reject(new Error(`kiln ui exited: ${out}`)));
    });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const open: number[] = [];
    const api: number[] = [];
    const search: number[] = [];
    const select: number[] = [];
    let count = '';
    try {
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
        const started = performance.now();
        await page.goto(url);
        await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
        open.push(performance.now() - started);
        count = (await page.textContent('#count')) ?? '';
        api.push(await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/graph'))?.duration ?? NaN));
        let t = performance.now();
        await page.fill('#search', 'p042 a0420');
        await page.waitForSelector('.row-item[data-label="//p042:a04200"]');
        search.push(performance.now() - t);
        t = performance.now();
        await page.fill('#search', 'p042:bundle');
        await page.click('.row-item[data-label="//p042:bundle"]');
        await page.waitForSelector('#preview');
        select.push(performance.now() - t);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    const ms = (v: number) => `${Math.round(v)} ms`;
    return [
      '## Studio: the page on 10k targets',
      '',
      `Generated workspace: ${generated.targets} targets in ${generated.packages} packages (\`bench/generate-workspace.ts\`), \`kiln ui\` + headless Chromium, ${RUNS} fresh page loads, median (min–max).`,
      '',
      '| step | median | range |',
      '| --- | --- | --- |',
      `| graph view opens, first load (server parses every assets.yaml and analyses) | ${ms(open[0]!)} | |`,
      `| of which \`GET /api/graph\` | ${ms(api[0]!)} | |`,
      `| graph view opens, later loads (no assets.yaml changed: cached graph; "${count}") | ${ms(median(open.slice(1)))} | ${ms(Math.min(...open.slice(1)))}–${ms(Math.max(...open.slice(1)))} |`,
      `| of which \`GET /api/graph\` | ${ms(median(api.slice(1)))} | ${ms(Math.min(...api.slice(1)))}–${ms(Math.max(...api.slice(1)))} |`,
      `| search over all targets ("p042 a0420") | ${ms(median(search))} | ${ms(Math.min(...search))}–${ms(Math.max(...search))} |`,
      `| open a bundle with 100 deps (details + neighbourhood graph) | ${ms(median(select))} | ${ms(Math.min(...select))}–${ms(Math.max(...select))} |`,
      '',
      `Target: graph view < 2 s — first load ${open[0]! < 2000 ? 'met' : 'missed'}, later loads ${median(open.slice(1)) < 2000 ? 'met' : 'missed'}.`,
      '',
      'What dominates the first load: loading the workspace itself (parsing and checking 100 `assets.yaml` files',
      'with 10,100 targets), which `kiln ui` starts as soon as it listens; the first page request waits for it.',
      'Measured in-process on 2026-12-01 (load average 15–35 on 2 cores from other work): 1.7–4.4 s without the',
      'YAML cache, 0.8–0.9 s with the one a `kiln build` leaves in `.kiln`; this workspace was never built, so it',
      'runs cold. Three runs of this benchmark that day gave a first load of 4.6 s, 3.5 s and 1.9 s: the target is',
      'met only when the machine is quiet. The page\'s own work (1.3 MB of JSON, indexing, the virtualised list)',
      'is the 0.3–1.0 s of the later loads.',
      '',
    ].join('\n');
  } finally {
    child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}
