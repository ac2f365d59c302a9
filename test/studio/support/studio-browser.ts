/** Headless Chromium and a served kiln (ui or watch) for the studio page tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CLI, REPO_ROOT } from '../../support/run-kiln.js';

export const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
export const IN_CI = process.env.CI === 'true';
export const PAGE_BUILT = existsSync(join(REPO_ROOT, 'dist/studio-app/index.html'));

/** Why the browser tests cannot run here (printed), or undefined. With CI=true they always run. */
export function skipReason(): string | undefined {
  if (IN_CI) return undefined;
  if (!CHROMIUM) return 'no chromium (apt-get install -y chromium); these tests run when CI=true';
  if (!PAGE_BUILT) return 'the studio page is not built (npm run build:studio)';
  return undefined;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Served {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Start `kiln <args>` and wait for its "serving http://…" line. */
export function serveKiln(cwd: string, args: string[], timeoutMs = 90_000): Promise<Served> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kiln ${args.join(' ')} did not start:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        child,
        output: () => out,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('close', () => reject(new Error(`kiln ${args.join(' ')} exited:\n${out}`)));
  });
}

/** Screenshots are test artifacts: test-artifacts/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(REPO_ROOT, 'test-artifacts/studio');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/** Mean and spread of the RGB of a canvas on the page (read back through a 2D canvas). */
export async function canvasStats(page: Page, selector: string): Promise<{ width: number; height: number; mean: [number, number, number]; stddev: number; nonBackground: number }> {
  return page.evaluate((sel) => {
    const source = document.querySelector(sel) as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(source, 0, 0);
    const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
    const sum = [0, 0, 0];
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
    const mean = sum.map((s) => s / n) as [number, number, number];
    let variance = 0;
    let nonBackground = 0;
    const [br, bg, bb] = [data[0]!, data[1]!, data[2]!];
    for (let i = 0; i < data.length; i += 4) {
      const grey = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
      variance += (grey - (mean[0] + mean[1] + mean[2]) / 3) ** 2;
      if (Math.abs(data[i]! - br) + Math.abs(data[i + 1]! - bg) + Math.abs(data[i + 2]! - bb) > 30) nonBackground++;
    }
    return { width: copy.width, height: copy.height, mean, stddev: Math.sqrt(variance / n), nonBackground: nonBackground / n };
  }, selector);
}
