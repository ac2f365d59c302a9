/** Headless Chromium for browser tests (Debian's chromium + playwright-core; nothing downloads). */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/** Whether to skip (no chromium and not CI), with the reason printed once by the caller. */
export function browserSkipReason(what: string): string | undefined {
  if (CHROMIUM || process.env.CI === 'true') return undefined;
  return `${what} skipped: no chromium at /usr/bin/chromium (apt-get install -y chromium); it runs when CI=true`;
}

export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('CI=true but chromium is not installed at /usr/bin/chromium');
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** The page that imports three from node_modules through an import map. */
export function threePage(script: string): string {
  return `<!doctype html><html><head><script type="importmap">${JSON.stringify({
    imports: { three: '/three/build/three.module.js', 'three/addons/': '/three/examples/jsm/' },
  })}</script></head><body><script type="module" src="${script}"></script></body></html>`;
}
