/**
 * Watch at scale: `kiln watch //...` on the scheduler benchmark's generated workspaces (10,000
 * assets in 100 packages; 100,000 in 1,000 with KILN_BENCH_LARGE=1), save → the `changed`
 * message for that asset, p50/p95 over KILN_WATCH_SCALE_SAVES saves (default 30). Each save
 * rewrites one asset with new bytes; the loop hands the path to the engine's request tracker,
 * which invalidates that file's digest, its action and its package's bundle — nothing else.
 *
 * Run alone with `npm run build && node dist/bench/run.js scheduler-watch`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinRules } from '../rules/index.js';
import { Builder } from '../src/engine/builder.js';
import { createRegistry } from '../src/rule/registry.js';
import type { ServerMessage } from '../src/format/hot-reload-protocol.js';
import { DiskActionCache } from '../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../src/store/disk-blob-store.js';
import { createCacheStack } from '../src/store/create-cache-stack.js';
import type { CacheStack } from '../src/store/cache-stack.js';
import { startWatch } from '../src/watch/watch-session.js';
import { Workspace } from '../src/workspace/workspace.js';
import { assetContent, generateWorkspace, PACKAGES_DIR } from './generate-workspace.js';

const SAVES = Number(process.env.KILN_WATCH_SCALE_SAVES ?? 30);
/**
 * KILN_WATCH_SCALE_CACHE=cli: the cache `kiln watch` opens (entries and small blobs in the LMDB
 * store, committed per build); default: plain files per blob and entry (the figures so far).
 */
const CLI_CACHE = process.env.KILN_WATCH_SCALE_CACHE === 'cli';
function cacheOf(cacheDir: string): CacheStack {
  if (CLI_CACHE) return createCacheStack({ localRoot: cacheDir });
  return { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) };
}
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text: string): void => void process.stderr.write(`[scheduler-watch] ${text}\n`);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface ScaleResult {
  assets: number;
  initialMs: number;
  changed: number[];
  buildMs: number[];
}

async function measure(assets: number): Promise<ScaleResult> {
  const root = mkdtempSync(join(tmpdir(), `kiln-watch-scale-${assets}-`));
  try {
    const ws = generateWorkspace(root, { assets, assetBytes: 256, packages: assets >= 100_000 ? 1000 : 100 });
    const workspace = Workspace.at(root, createRegistry(builtinRules()));
    const cacheDir = workspace.config.cacheDir;
    const cache = cacheOf(cacheDir);
    const builder = new Builder({ workspace, cache });
    const waiting = new Map<string, (at: number) => void>();
    const builds: number[] = [];
    const started = now();
    const session = await startWatch({
      builder,
      patterns: ['//...'],
      onMessage: (message: ServerMessage) => {
        if (message.type === 'changed') waiting.get(message.label)?.(now());
        if (message.type === 'build-finished') builds.push(message.timings.buildMs);
      },
    });
    const initialMs = now() - started;
    log(`${assets} assets: first build ${initialMs.toFixed(0)} ms`);
    const changed: number[] = [];
    const buildMs: number[] = [];
    for (let i = 0; i < SAVES; i++) {
      await session.loop.idle();
      await sleep(50);
      const index = (i * 7919 + 13) % ws.assetPaths.length;
      const path = ws.assetPaths[index]!;
      // assets/p012/a00042.bin → //p012:a00042
      const [pkg, file] = path.slice(PACKAGES_DIR.length + 1).split('/');
      const label = `//${pkg}:${file!.replace(/\.bin$/, '')}`;
      const seen = new Promise<number>((resolve) => waiting.set(label, resolve));
      const before = builds.length;
      const savedAt = now();
      writeFileSync(join(root, path), assetContent(index, 256, 1000 + i));
      const at = await Promise.race([seen, sleep(60_000).then(() => NaN)]);
      waiting.delete(label);
      if (Number.isNaN(at)) throw new Error(`no changed message for ${label} within 60 s`);
      changed.push(at - savedAt);
      await session.loop.idle();
      if (builds.length > before) buildMs.push(builds[builds.length - 1]!);
    }
    await session.close();
    await builder.close();
    (cache as { close?: () => void }).close?.();
    return { assets, initialMs, changed, buildMs };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function bench(): Promise<string> {
  const sizes = process.env.KILN_BENCH_LARGE === '1' ? [10_000, 100_000] : [10_000];
  const results: ScaleResult[] = [];
  for (const assets of sizes) results.push(await measure(assets));
  const goal = (assets: number) => (assets >= 100_000 ? 50 : 20);
  const f = (ms: number) => ms.toFixed(1);
  return [
    '## Watch at scale: save → changed',
    '',
    `\`kiln watch //...\` (in-process session, Node WebSocket-free: the loop's own messages) on the scheduler benchmark's workspaces; ${SAVES} saves of one asset each, one at a time. ` +
      '"changed" is write() → the `changed` message for that asset; "build" is the rebuild loop\'s own build time for it. ' +
      (CLI_CACHE ? 'Cache: the one `kiln watch` opens (LMDB store for entries and small blobs).' : 'Cache: plain files per blob and entry (KILN_WATCH_SCALE_CACHE=cli for the one `kiln watch` opens).'),
    '',
    '| assets | first build | changed p50 ms | changed p95 ms | build p50 ms | goal p50 | met |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map((r) => {
      const p50 = quantile(r.changed, 0.5);
      return `| ${r.assets} | ${(r.initialMs / 1000).toFixed(1)} s | ${f(p50)} | ${f(quantile(r.changed, 0.95))} | ${r.buildMs.length > 0 ? f(quantile(r.buildMs, 0.5)) : 'n/a'} | ≤ ${goal(r.assets)} ms | ${p50 <= goal(r.assets) ? 'yes' : '**no**'} |`;
    }),
    '',
  ].join('\n');
}
