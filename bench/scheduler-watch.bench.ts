/**
 * Watch at scale: `kiln watch //...` on the scheduler benchmark's generated workspaces (10,000
 * assets in 100 packages; 100,000 in 1,000 with KILN_BENCH_LARGE=1), save → the `changed`
 * message for that asset, p50/p95 over KILN_WATCH_SCALE_SAVES saves (default 30). Each save
 * rewrites one asset with new bytes; the loop hands the path to the engine's request tracker,
 * which invalidates that file's digest, its action and its package's bundle — nothing else.
 *
 * Run alone with `npm run build && node dist/bench/run.js scheduler-watch`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorkspace } from './generate-workspace.js';
import { CACHE_NOTE, openScaleWatch } from './scale-watch.js';

const SAVES = Number(process.env.KILN_WATCH_SCALE_SAVES ?? 30);
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
    const watch = await openScaleWatch(root);
    const initialMs = watch.initialMs;
    log(`${assets} assets: first build ${initialMs.toFixed(0)} ms`);
    const changed: number[] = [];
    const buildMs: number[] = [];
    for (let i = 0; i < SAVES; i++) {
      const index = (i * 7919 + 13) % ws.assetPaths.length;
      const saved = await watch.save(ws.assetPaths[index]!, index, 1000 + i);
      changed.push(saved.changedMs);
      if (saved.buildMs !== undefined) buildMs.push(saved.buildMs);
    }
    await watch.close();
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
      CACHE_NOTE,
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
