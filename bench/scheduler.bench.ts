/**
 * Scheduler benchmark: kiln against ninja on the same synthetic graph (bench/generate-workspace.ts:
 * N trivial copies in 100 packages, one bundle per package). Side by side in one run, each tool
 * as a user runs it — kiln through the compiled CLI in a fresh process (start-up included),
 * ninja as `/usr/bin/ninja` — for a cold build, a no-op build and a one-file change. At the
 * largest size, a phase probe and CPU profiles show what dominates kiln's no-op and change.
 *
 * Environment: KILN_BENCH_SIZES (default "1000,10000"; KILN_BENCH_LARGE=1 for "10000,100000"),
 * KILN_BENCH_RUNS (default 3, median taken), KILN_BENCH_COLD_ONLY=1 (only the cold builds, no
 * no-op/change runs and no breakdown). Workspaces of 100,000 assets and more are spread over
 * 1,000 packages (100 per package), smaller ones over 100. kiln's peak RSS comes from
 * `/usr/bin/time -f %M` around each build (Debian package `time`; skipped when missing).
 * Run alone with `npm run build && node dist/bench/run.js scheduler`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summariseCpuProfile, type CpuProfile, type ProfileSummary } from './cpu-profile-summary.js';
import { assetContent, generateWorkspace, type GeneratedWorkspace } from './generate-workspace.js';
import { KILN_PHASE_RULES } from './kiln-phase-rules.js';
import type { PhaseTimes } from './phase-probe.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'dist/src/cli/main.js');
const PROBE = join(REPO, 'dist/bench/phase-probe.js');
const ASSET_BYTES = 256;
/** Longer than the stat cache's 50 ms racy window: a user saves, then builds. */
const EDIT_GAP_MS = 100;

interface Run {
  ms: number;
  /** Actions that ran (kiln: summary.executed; ninja: edges in its last `[n/N]` line). */
  work: number;
  /** Peak resident set in MB (`/usr/bin/time -f %M`), when available. */
  rssMb?: number;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface ToolResult {
  cold: Run;
  noop: Run[];
  change: Run[];
}

interface SizeResult {
  assets: number;
  targets: number;
  kiln: ToolResult;
  ninja?: ToolResult;
}

const log = (text: string): void => void process.stderr.write(`[scheduler] ${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (runs: Run[]): number => {
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The environment kiln's processes get: the bench's own, with CI=true, and without
 * NODE_EXTRA_CA_CERTS — some machines (this sandbox among them) point it at the whole system CA
 * bundle, which Node 20 parses before any JavaScript runs (~100 ms a process, more than ninja's
 * whole 10k no-op); these builds open no connection, and a developer's shell rarely sets it.
 * The section says what `node -e 0` costs with and without it.
 */
function kilnEnv(extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ...extraEnv };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Median wall time of `node -e 0` over 5 runs, in `env`. */
function nodeStartMs(env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2]!;
}

function kilnBuild(root: string, extraNodeArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Run {
  const summaryPath = join(root, '.bench-summary.json');
  rmSync(summaryPath, { force: true });
  const start = performance.now();
  const argv = [...extraNodeArgs, CLI, 'build', '//...', '--summary-json', summaryPath];
  const result = TIME
    ? spawnSync(TIME, ['-f', 'kiln-peak-rss-kb %M', process.execPath, ...argv], { cwd: root, env: kilnEnv(extraEnv), encoding: 'utf8', maxBuffer: 256 << 20 })
    : spawnSync(process.execPath, argv, { cwd: root, env: kilnEnv(extraEnv), encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = performance.now() - start;
  const rss = /kiln-peak-rss-kb (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 || !existsSync(summaryPath)) {
    throw new Error(`kiln build failed (exit ${result.status}): ${result.stderr.slice(-2000)}${result.stdout.slice(-2000)}`);
  }
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { executed: number; failed: number };
  return { ms, work: summary.executed, ...(rss ? { rssMb: Number(rss[1]) / 1024 } : {}) };
}

function findNinja(): string | undefined {
  for (const candidate of ['/usr/bin/ninja', 'ninja']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

function ninjaBuild(ninja: string, root: string): Run {
  const start = performance.now();
  const result = spawnSync(ninja, [], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`ninja failed (exit ${result.status}): ${result.stdout.slice(-2000)}${result.stderr.slice(-1000)}`);
  const steps = [...result.stdout.matchAll(/^\[(\d+)\/(\d+)\]/gm)];
  const last = steps[steps.length - 1];
  return { ms, work: last ? Number(last[2]) : 0 };
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** Rewrite one asset with new bytes (a new revision), as an editor save would. */
function editAsset(ws: GeneratedWorkspace, index: number, revision: number): void {
  writeFileSync(join(ws.root, ws.assetPaths[index]!), assetContent(index, ASSET_BYTES, revision));
}

const COLD_ONLY = process.env.KILN_BENCH_COLD_ONLY === '1';

async function measureSize(assets: number, runs: number, ninja: string | undefined, revision: { next: number }): Promise<{ result: SizeResult; ws: GeneratedWorkspace }> {
  const root = mkdtempSync(join(tmpdir(), `kiln-bench-${assets}-`));
  const ws = generateWorkspace(root, { assets, assetBytes: ASSET_BYTES, packages: assets >= 100_000 ? 1000 : 100 });
  log(`${assets} assets: workspace in ${root}`);

  const kilnCold = kilnBuild(root);
  expect(kilnCold.work === ws.targets, `kiln cold build ran ${kilnCold.work} actions, expected ${ws.targets}`);
  log(`kiln cold ${kilnCold.ms.toFixed(0)} ms`);
  let ninjaCold: Run | undefined;
  if (ninja) {
    ninjaCold = ninjaBuild(ninja, root);
    expect(ninjaCold.work === ws.targets, `ninja cold build ran ${ninjaCold.work} edges, expected ${ws.targets}`);
    log(`ninja cold ${ninjaCold.ms.toFixed(0)} ms`);
  }

  // Interleaved, so both tools see the same machine load.
  const kilnNoop: Run[] = [];
  const ninjaNoop: Run[] = [];
  for (let i = 0; i < (COLD_ONLY ? 0 : runs); i++) {
    kilnNoop.push(kilnBuild(root));
    expect(kilnNoop[i]!.work === 0, `kiln no-op ran ${kilnNoop[i]!.work} actions`);
    if (ninja) {
      ninjaNoop.push(ninjaBuild(ninja, root));
      expect(ninjaNoop[i]!.work === 0, `ninja no-op ran ${ninjaNoop[i]!.work} edges`);
    }
  }
  log(`no-op: kiln ${median(kilnNoop).toFixed(0)} ms${ninja ? `, ninja ${median(ninjaNoop).toFixed(0)} ms` : ''}`);

  const kilnChange: Run[] = [];
  const ninjaChange: Run[] = [];
  for (let i = 0; i < (COLD_ONLY ? 0 : runs); i++) {
    editAsset(ws, (i * 7919 + assets / 2) % assets, revision.next++);
    await sleep(EDIT_GAP_MS);
    kilnChange.push(kilnBuild(root));
    expect(kilnChange[i]!.work === 2, `kiln one-file change ran ${kilnChange[i]!.work} actions, expected 2 (copy + bundle)`);
    if (ninja) {
      ninjaChange.push(ninjaBuild(ninja, root));
      expect(ninjaChange[i]!.work === 2, `ninja one-file change ran ${ninjaChange[i]!.work} edges, expected 2`);
    }
  }
  log(`change: kiln ${median(kilnChange).toFixed(0)} ms${ninja ? `, ninja ${median(ninjaChange).toFixed(0)} ms` : ''}`);

  return {
    ws,
    result: {
      assets,
      targets: ws.targets,
      kiln: { cold: kilnCold, noop: kilnNoop, change: kilnChange },
      ninja: ninjaCold && { cold: ninjaCold, noop: ninjaNoop, change: ninjaChange },
    },
  };
}

function probe(root: string): PhaseTimes {
  const result = spawnSync(process.execPath, [PROBE, root], { cwd: root, encoding: 'utf8', env: kilnEnv() });
  if (result.status !== 0) throw new Error(`phase probe failed: ${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout) as PhaseTimes;
}

function profile(root: string): { run: Run; summary: ProfileSummary } {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-cpuprof-'));
  try {
    // From the compiled modules, not the CLI bundle: the phases are told apart by source file.
    const run = kilnBuild(root, ['--cpu-prof', `--cpu-prof-dir=${dir}`], { KILN_NO_BUNDLE: '1' });
    // The main thread's profile (thread id 0 in Node's file name; pool workers write their own).
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile') && name.split('.')[4] === '0');
    if (!file) throw new Error('node --cpu-prof wrote no profile');
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    return { run, summary: summariseCpuProfile(data, KILN_PHASE_RULES, 12) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Breakdown {
  noopProbe: PhaseTimes;
  changeProbe: PhaseTimes;
  noopProfile: { run: Run; summary: ProfileSummary };
  changeProfile: { run: Run; summary: ProfileSummary };
  nodeStartMs: number;
}

async function breakdown(ws: GeneratedWorkspace, revision: { next: number }): Promise<Breakdown> {
  const startMs = nodeStartMs(kilnEnv());
  const noopProbe = probe(ws.root);
  expect(noopProbe.executed === 0, `probe no-op ran ${noopProbe.executed} actions`);
  const noopProfile = profile(ws.root);
  editAsset(ws, 1, revision.next++);
  await sleep(EDIT_GAP_MS);
  const changeProbe = probe(ws.root);
  expect(changeProbe.executed === 2, `probe change ran ${changeProbe.executed} actions`);
  editAsset(ws, 2, revision.next++);
  await sleep(EDIT_GAP_MS);
  const changeProfile = profile(ws.root);
  expect(changeProfile.run.work === 2, `profiled change ran ${changeProfile.run.work} actions`);
  return { noopProbe, changeProbe, noopProfile, changeProfile, nodeStartMs: startMs };
}

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtRatio = (r: number): string => (r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`);

function figuresTable(results: SizeResult[], runs: number): string[] {
  const rows = ['| assets (targets) | scenario | kiln | ninja | kiln ÷ ninja | target | met | kiln peak RSS |', '|---|---|---|---|---|---|---|---|'];
  const peak = (list: Run[]) => {
    const values = list.map((r) => r.rssMb).filter((v): v is number => v !== undefined);
    return values.length > 0 ? `${Math.max(...values).toFixed(0)} MB` : 'n/a';
  };
  for (const r of results) {
    const scenarios: [string, number, number | undefined, string, (ratio: number) => boolean, Run[]][] = [
      ['cold build', r.kiln.cold.ms, r.ninja?.cold.ms, 'kiln ≥ 3× faster (ratio ≤ 0.33)', (x) => x <= 1 / 3, [r.kiln.cold]],
      [`no-op (median of ${runs})`, median(r.kiln.noop), r.ninja && median(r.ninja.noop), 'ratio ≤ 2', (x) => x <= 2, r.kiln.noop],
      [`one-file change (median of ${runs})`, median(r.kiln.change), r.ninja && median(r.ninja.change), 'ratio ≤ 2', (x) => x <= 2, r.kiln.change],
    ];
    for (const [name, kiln, ninja, target, ok, list] of scenarios.filter((scenario) => scenario[5].length > 0)) {
      const ratio = ninja === undefined ? undefined : kiln / ninja;
      const applies = r.assets >= 10_000;
      const met = ratio === undefined ? 'n/a' : !applies ? '(10k+ only)' : ok(ratio) ? 'yes' : '**no**';
      rows.push(`| ${r.assets} (${r.targets}) | ${name} | ${fmtMs(kiln)} | ${ninja === undefined ? 'skipped' : fmtMs(ninja)} | ${ratio === undefined ? '—' : fmtRatio(ratio)} | ${target} | ${met} | ${peak(list)} |`);
    }
    const all = [r.kiln.cold, ...r.kiln.noop, ...r.kiln.change].map((x) => x.rssMb).filter((v): v is number => v !== undefined);
    if (all.length > 0) {
      const limit = r.assets >= 100_000 ? 1024 : 200;
      rows.push(`| ${r.assets} (${r.targets}) | peak RSS, any build | ${Math.max(...all).toFixed(0)} MB | | | ≤ ${limit} MB | ${r.assets >= 10_000 ? (Math.max(...all) <= limit ? 'yes' : '**no**') : '(10k+ only)'} | |`);
    }
  }
  return rows;
}

function probeTable(noop: PhaseTimes, change: PhaseTimes, nodeStartMs: number, wallNoop: number, wallChange: number): string[] {
  const rows: [string, keyof PhaseTimes][] = [
    ['node start-up to first line of script', 'bootMs'],
    ['import what `kiln build` loads first (build command, build record; no engine, rules or store)', 'importMs'],
    ['find root + installation identity + record key', 'keyMs'],
    ['read the build record\'s head and leaf table', 'recordMs'],
    ['stat every recorded leaf (sources, assets.yaml, folders, kiln-out)', 'statMs'],
    ['nothing changed: the recorded summary (its pre-rendered bytes)', 'replayMs'],
    ['something changed: import engine, rules, store (compiled modules; the CLI loads a bundle)', 'engineImportMs'],
    ['something changed: workspace + cache stack + Builder (opens LMDB)', 'builderMs'],
    ['something changed: build the dirty targets, write the new record', 'buildMs'],
    ['total in-process', 'totalMs'],
  ];
  return [
    '| phase | no-op | one-file change |',
    '|---|---|---|',
    ...rows.map(([name, key]) => `| ${name} | ${fmtMs(noop[key])} | ${fmtMs(change[key])} |`),
    `| (for scale: \`node -e 0\` wall time) | ${fmtMs(nodeStartMs)} | |`,
    `| (for scale: CLI wall time in the timed runs, median) | ${fmtMs(wallNoop)} | ${fmtMs(wallChange)} |`,
  ];
}

function profileTables(noop: ProfileSummary, change: ProfileSummary): string[] {
  const phases = new Map<string, [number, number]>();
  for (const p of noop.phases) phases.set(p.phase, [p.ms, 0]);
  for (const p of change.phases) phases.set(p.phase, [phases.get(p.phase)?.[0] ?? 0, p.ms]);
  const pct = (ms: number, total: number) => `${((100 * ms) / total).toFixed(0)}%`;
  return [
    `CPU profile (\`node --cpu-prof\`, one fresh CLI process each, run from the compiled modules rather than the CLI bundle so that samples can be told apart by file; profiling adds overhead). Each sample is charged to the innermost frame matching a phase (bench/kiln-phase-rules.ts):`,
    '',
    '| phase | no-op | | one-file change | |',
    '|---|---|---|---|---|',
    ...[...phases]
      .sort((a, b) => b[1][0] - a[1][0])
      .map(([phase, [n, c]]) => `| ${phase} | ${fmtMs(n)} | ${pct(n, noop.totalMs)} | ${fmtMs(c)} | ${pct(c, change.totalMs)} |`),
    `| **total sampled** | ${fmtMs(noop.totalMs)} | | ${fmtMs(change.totalMs)} | |`,
    '',
    'Top self time, no-op:',
    '',
    '| self | function |',
    '|---|---|',
    ...noop.top.map((t) => `| ${fmtMs(t.selfMs)} | \`${t.name}\` |`),
    '',
    'Top self time, one-file change:',
    '',
    '| self | function |',
    '|---|---|',
    ...change.top.map((t) => `| ${fmtMs(t.selfMs)} | \`${t.name}\` |`),
  ];
}

export async function bench(): Promise<string> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const defaultSizes = process.env.KILN_BENCH_LARGE === '1' ? '10000,100000' : '1000,10000';
  const sizes = (process.env.KILN_BENCH_SIZES ?? defaultSizes).split(',').map(Number).filter((n) => n > 0);
  const runs = Math.max(1, Number(process.env.KILN_BENCH_RUNS ?? 3));
  const ninja = findNinja();
  const ninjaVersion = ninja ? spawnSync(ninja, ['--version'], { encoding: 'utf8' }).stdout.trim() : undefined;
  const began = performance.now();
  const results: SizeResult[] = [];
  const revision = { next: 1 };
  let detail: { ws: GeneratedWorkspace; breakdown: Breakdown; result: SizeResult } | undefined;
  const workspaces: GeneratedWorkspace[] = [];
  try {
    for (const [i, assets] of sizes.entries()) {
      const { result, ws } = await measureSize(assets, runs, ninja, revision);
      workspaces.push(ws);
      results.push(result);
      if (i === sizes.length - 1 && !COLD_ONLY) {
        log(`breakdown at ${assets}`);
        detail = { ws, result, breakdown: await breakdown(ws, revision) };
      }
    }
  } finally {
    for (const ws of workspaces) rmSync(ws.root, { recursive: true, force: true });
  }

  const out: string[] = [
    '## Scheduler: kiln vs ninja on trivial copies',
    '',
    `Workspaces from \`bench/generate-workspace.ts\`: N assets of ${ASSET_BYTES} bytes in 100 packages (1,000 from 100k up), one \`files\` target per asset, one \`bundle\` (compression none) per package. ` +
      'The `build.ninja` beside it does the same copies with `cp` and packs each package with `tar -cf`. ' +
      `kiln runs as \`node dist/src/cli/main.js build //... --summary-json …\` in a fresh process each time (start-up included, CI=true, default --jobs = ${availableParallelism()}); ` +
      `ninja ${ninjaVersion ? `${ninjaVersion} as \`${ninja}\` with its default -j` : '**not installed: its columns are skipped** (Debian package `ninja-build`)'}. ` +
      `Both tools build the same source tree into their own output folders, runs interleaved (kiln, ninja, kiln, ninja …); a one-file change rewrites one asset ${EDIT_GAP_MS} ms before the build, ` +
      'and is checked to run exactly 2 actions in each tool (the copy and its package bundle). Cold = empty cache and outputs, warm OS page cache. ' +
      (process.env.NODE_EXTRA_CA_CERTS
        ? `This machine sets NODE_EXTRA_CA_CERTS (${process.env.NODE_EXTRA_CA_CERTS}); kiln runs without it: \`node -e 0\` takes ${nodeStartMs(process.env).toFixed(0)} ms with it and ${nodeStartMs(kilnEnv()).toFixed(0)} ms without (median of 5), Node 20 parsing that CA bundle before any JavaScript runs.`
        : `\`node -e 0\` takes ${nodeStartMs(kilnEnv()).toFixed(0)} ms here (median of 5).`),
    '',
    ...figuresTable(results, runs),
    '',
  ];
  if (detail) {
    const { breakdown: b, result } = detail;
    out.push(
      `### Where kiln's time goes at ${result.assets} assets`,
      '',
      'Wall-clock phases, measured in a fresh process by `bench/phase-probe.ts` (the CLI\'s own path, step by step, timed from outside `src/`):',
      '',
      ...probeTable(b.noopProbe, b.changeProbe, b.nodeStartMs, median(result.kiln.noop), median(result.kiln.change)),
      '',
      ...profileTables(b.noopProfile.summary, b.changeProfile.summary),
      '',
    );
  }
  out.push(`_Scheduler benchmark wall time: ${fmtMs(performance.now() - began)}._`, '');
  return out.join('\n');
}
