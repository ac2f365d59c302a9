/**
 * Remote cache and determinism-check benchmark, through the compiled CLI on the sample project's
 * forest bundle (`npm run bench` runs it; alone: `npm run build && node dist/bench/run.js remote-cache`).
 *
 * 1. A clean build (empty local cache, new folder) with a warm remote cache (a real nginx WebDAV
 *    server on 127.0.0.1, filled by a CI-style read-write build) against a cold local cook of the
 *    same target: the ratio is what a developer saves by downloading instead of cooking.
 * 2. The cost of `--check-determinism` (every action cooked twice into overlays, digests compared)
 *    against a normal cold build.
 *
 * Every build runs in a fresh copy of the workspace, `--jobs 2`, so each is a clean build. The
 * remote is local, so the figures leave out network latency and bandwidth: a real team server adds
 * roughly (number of actions × round trip) + (bytes ÷ bandwidth) to the warm build.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, sampleCopy } from './sample-workspace.js';
import { CLI, timedBuild, type TimedBuild } from './timed-build.js';

const TARGET = '//levels/forest:bundle';
const NGINX = process.env.KILN_TEST_NGINX ?? '/usr/sbin/nginx';
const RUNS = Number(process.env.KILN_BENCH_RUNS ?? 3);

type Run = TimedBuild;

const build = (root: string, extra: string[] = []): Run => timedBuild(root, TARGET, extra);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** nginx with the same WebDAV config the tests use (test/support/nginx.conf.template). */
async function startNginx(scratch: string): Promise<{ url: string; root: string; stop: () => void }> {
  const prefix = join(scratch, 'nginx');
  const root = join(prefix, 'root');
  mkdirSync(root, { recursive: true });
  const port = await freePort();
  const config = readFileSync(join(REPO, 'test/support/nginx.conf.template'), 'utf8')
    .replaceAll('{{USER_LINE}}', process.getuid?.() === 0 ? 'user root;' : '')
    .replaceAll('{{PREFIX}}', prefix)
    .replaceAll('{{ROOT}}', root)
    .replaceAll('{{PORT}}', String(port));
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`${url}/`, { method: 'HEAD', signal: AbortSignal.timeout(500) }).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`nginx did not start on ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { url, root, stop: () => child.kill('SIGTERM') };
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

/** The fastest run: on a shared machine the least disturbed one is the best estimate. */
const best = (values: number[]) => Math.min(...values);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export async function bench(): Promise<string> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  if (!existsSync(NGINX)) return `## Remote cache and --check-determinism\n\nSkipped: nginx not found at ${NGINX} (apt-get install nginx-light).\n`;
  const scratch = mkdtempSync(join(tmpdir(), 'kiln-bench-remote-'));
  let copies = 0;
  const fresh = () => sampleCopy(scratch, `ws-${copies++}`);
  const nginx = await startNginx(scratch);
  try {
    const cold: Run[] = [];
    const warm: Run[] = [];
    const checked: Run[] = [];
    // CI fills the remote cache (a cold cook plus uploads).
    const fill = build(fresh(), ['--remote-cache', nginx.url, '--remote-cache-mode', 'read-write']);
    for (let i = 0; i < RUNS; i++) {
      cold.push(build(fresh()));
      warm.push(build(fresh(), ['--remote-cache', nginx.url]));
      checked.push(build(fresh(), ['--check-determinism']));
    }
    if (warm.some((run) => run.executed !== 0)) throw new Error(`a warm-remote build executed actions: ${warm.map((r) => r.executed).join(', ')}`);
    const coldMs = best(cold.map((r) => r.ms));
    const warmMs = best(warm.map((r) => r.ms));
    const checkedMs = best(checked.map((r) => r.ms));
    const remoteBytes = folderBytes(nginx.root);
    const row = (what: string, runs: Run[], note: string) =>
      `| ${what} | ${runs.map((r) => seconds(r.ms)).join(', ')} | ${seconds(best(runs.map((r) => r.ms)))} | ${runs[0]!.executed} / ${runs[0]!.cached} | ${note} |`;
    return [
      '## Remote cache and --check-determinism',
      '',
      `\`bench/remote-cache.bench.ts\`: \`kiln build ${TARGET} --jobs 2\` through the CLI, every build in a fresh copy of the sample project with an empty local cache; ${RUNS} run(s) each (interleaved), ratios from the fastest run of each. Remote: nginx WebDAV on 127.0.0.1 (no network latency).`,
      '',
      '| build | runs | best | executed / cached | notes |',
      '| --- | --- | --- | --- | --- |',
      `| CI fill: cold cook + upload (read-write) | ${seconds(fill.ms)} | ${seconds(fill.ms)} | ${fill.executed} / ${fill.cached} | ${fill.remote?.uploads ?? 0} uploads, ${mb(fill.remote?.bytesUp ?? 0)} up; remote holds ${mb(remoteBytes)} |`,
      row('cold local cook', cold, 'no remote'),
      row('clean build, warm remote (read)', warm, `${warm[0]!.remote?.actionHits ?? 0} action hits, ${mb(warm[0]!.remote?.bytesDown ?? 0)} down`),
      row('cold cook with --check-determinism', checked, 'every action cooked twice, digests compared'),
      '',
      `- **Warm remote vs cold local cook: ${(coldMs / warmMs).toFixed(1)}× faster** (${seconds(warmMs)} vs ${seconds(coldMs)}).`,
      `- **--check-determinism costs ${(checkedMs / coldMs).toFixed(2)}×** a normal cold build (${seconds(checkedMs)} vs ${seconds(coldMs)}); a determinism check of cached results cooks them again, so on a warm cache it costs about one cold build.`,
      `- Uploading while cooking (CI fill) costs ${(fill.ms / coldMs).toFixed(2)}× a local-only cold cook.`,
    ].join('\n');
  } finally {
    nginx.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
