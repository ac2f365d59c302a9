/**
 * Where a watch rebuild's time goes at scale: one `kiln watch //...` session on a generated
 * workspace (kept between runs, so the 100k tree and its cache are made once), N one-file saves,
 * a CPU profile of the saves only (inspector Session, not the first build) summarised by phase.
 *
 *   node dist/bench/watch-profile.js [assets=10000] [saves=20] [dir=/tmp/kiln-watch-profile-<assets>]
 *
 * Prints save → `changed` and build times per save, then the phases and the functions with the
 * most self time; the raw profile is written next to the workspace (`saves.cpuprofile`).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { summariseCpuProfile, type CpuProfile, type PhaseRule } from './cpu-profile-summary.js';
import { generateWorkspace, PACKAGES_DIR } from './generate-workspace.js';
import { CACHE_NOTE, openScaleWatch } from './scale-watch.js';

const assets = Number(process.argv[2] ?? 10_000);
const saves = Number(process.argv[3] ?? 20);
const root = process.argv[4] ?? `/tmp/kiln-watch-profile-${assets}`;
const packages = assets >= 100_000 ? 1000 : 100;

/** Innermost matching frame wins: the watch path's own steps, then the engine's. */
const RULES: PhaseRule[] = [
  { phase: 'tracker.save', functions: ['save'], url: 'request-tracker.js' },
  { phase: 'tracker.changed', functions: ['changed'], url: 'request-tracker.js' },
  { phase: 'store write (lmdb)', url: 'node_modules/lmdb' },
  { phase: 'watch report', functions: ['report'], url: 'rebuild-loop.js' },
  { phase: 'watchWorklist', functions: ['watchWorklist'], url: 'last-build.js' },
  { phase: 'collectReports', functions: ['collectReports'], url: 'last-build.js' },
  { phase: 'run (runDag)', url: 'run-dag.js' },
  { phase: 'action request', url: 'requests/action.js' },
  { phase: 'materialize', url: 'materialize' },
  { phase: 'graph request', url: 'requests/target-graph' },
  { phase: 'workspace request', url: 'requests/workspace' },
  { phase: 'builder.runSteps', functions: ['runSteps'], url: 'builder.js' },
  { phase: 'file watcher', url: 'file-watcher.js' },
  { phase: 'gc', functions: ['(garbage collector)'] },
  { phase: 'idle', functions: ['(idle)'] },
];

const quantile = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;

async function main(): Promise<void> {
  if (!existsSync(join(root, 'assets.yaml'))) {
    process.stderr.write(`generating ${assets} assets in ${root}\n`);
    generateWorkspace(root, { assets, assetBytes: 256, packages });
  }
  const perPackage = Math.floor(assets / packages);
  const pathOf = (index: number) => `${PACKAGES_DIR}/p${String(Math.floor(index / perPackage)).padStart(Math.max(3, String(packages - 1).length), '0')}/a${String(index).padStart(Math.max(5, String(assets - 1).length), '0')}.bin`;
  const watch = await openScaleWatch(root);
  process.stderr.write(`first build ${(watch.initialMs / 1000).toFixed(1)} s, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB; ${CACHE_NOTE}\n`);
  const profiling = process.env.KILN_PROFILE !== '0';
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
  if (profiling) await inspector.post('Profiler.start');
  const changed: number[] = [];
  const buildMs: number[] = [];
  const revision = Date.now() % 100_000;
  for (let i = 0; i < saves; i++) {
    const index = (i * 7919 + 13) % assets;
    const saved = await watch.save(pathOf(index), index, revision + i);
    changed.push(saved.changedMs);
    if (saved.buildMs !== undefined) buildMs.push(saved.buildMs);
  }
  const profile = profiling ? (await inspector.post('Profiler.stop')).profile : undefined;
  inspector.disconnect();
  if (profile) writeFileSync(join(root, 'saves.cpuprofile'), JSON.stringify(profile));
  await watch.close();
  const f = (ms: number) => ms.toFixed(1);
  const queue = watch.builds.slice(-saves).map((b) => b.queueMs);
  console.log(`${assets} assets, ${saves} saves: changed p50 ${f(quantile(changed, 0.5))} p95 ${f(quantile(changed, 0.95))} ms; build p50 ${f(quantile(buildMs, 0.5))} p95 ${f(quantile(buildMs, 0.95))} ms; queue (save → build start) p50 ${f(quantile(queue, 0.5))} p95 ${f(quantile(queue, 0.95))} ms`);
  console.log(`changed: ${changed.map(f).join(' ')}`);
  if (!profile) return;
  const summary = summariseCpuProfile(profile as unknown as CpuProfile, RULES, 25);
  console.log(`\nprofile ${f(summary.totalMs)} ms over ${saves} saves (per save: ÷${saves})`);
  for (const p of summary.phases) console.log(`  ${p.phase.padEnd(22)} ${f(p.ms).padStart(9)} ms  ${f(p.ms / saves).padStart(7)} ms/save`);
  console.log('\ntop self time:');
  for (const t of summary.top) console.log(`  ${f(t.selfMs).padStart(9)} ms  ${t.name}`);
}

await main();
