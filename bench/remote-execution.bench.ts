/**
 * Team cache and remote execution, through the compiled CLI on the sample's `//...`
 * (`npm run bench`; alone: `npm run build && node dist/bench/run.js remote-execution`):
 * a cold local cook, a clean build against a warm team cache (bazel-remote over REAPI gRPC,
 * filled by a CI-style read-write build), and remote execution on a local Buildbarn with one
 * and with two workers (each a bb_worker + bb_runner of concurrency 1). Every build runs in a
 * fresh copy of the workspace with an empty local cache, `--jobs 2`.
 *
 * Everything runs on this one machine: the "cluster" shares its cores with the client, so the
 * remote figures show the protocol's overhead and the scaling a second worker gives, not what a
 * real farm of separate machines would give.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleCopy } from './sample-workspace.js';
import { CLI, timedBuild, type TimedBuild } from './timed-build.js';
import { BAZEL_REMOTE_BINARY, BUILDBARN_BINARIES, CI_BIN, startBazelRemote, startBuildbarn } from './reapi-servers.js';

const TARGET = '//...';

type Run = TimedBuild;

const build = (root: string, extra: string[] = []): Run => timedBuild(root, TARGET, extra);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function bench(): Promise<string> {
  const title = '## Team cache and remote execution';
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const missing = [BAZEL_REMOTE_BINARY, ...BUILDBARN_BINARIES.map((name) => join(CI_BIN, name))].filter((path) => !existsSync(path));
  if (missing.length > 0) return `${title}\n\nSkipped: ${missing.join(', ')} missing (.ci/run builds them).\n`;
  const scratch = mkdtempSync(join(tmpdir(), 'kiln-bench-rex-'));
  let copies = 0;
  const fresh = () => sampleCopy(scratch, `ws-${copies++}`);
  const rows: string[] = [];
  let coldMs = 0;
  const ratio = (ms: number) => `${(coldMs / ms).toFixed(2)}×`;
  try {
    const cold = build(fresh());
    coldMs = cold.ms;
    rows.push(`| cold local cook | ${seconds(cold.ms)} | 1.00× | ${cold.executed} / ${cold.cached} | — |`);
    const cache = await startBazelRemote();
    try {
      const fill = build(fresh(), ['--remote-cache', cache.grpcUrl, '--remote-cache-mode', 'read-write']);
      rows.push(`| CI fill: cold cook + upload to bazel-remote (gRPC) | ${seconds(fill.ms)} | ${ratio(fill.ms)} | ${fill.executed} / ${fill.cached} | — |`);
      const warm = build(fresh(), ['--remote-cache', cache.grpcUrl]);
      if (warm.executed !== 0) throw new Error(`a warm-cache build executed ${warm.executed} actions`);
      rows.push(`| clean build, warm team cache (bazel-remote gRPC, read) | ${seconds(warm.ms)} | ${ratio(warm.ms)} | ${warm.executed} / ${warm.cached} | — |`);
    } finally {
      await cache.stop();
    }
    for (const workers of [1, 2]) {
      const cluster = await startBuildbarn(workers);
      try {
        const run = build(fresh(), ['--remote-executor', cluster.url]);
        rows.push(`| remote execution, Buildbarn, ${workers} worker(s) | ${seconds(run.ms)} | ${ratio(run.ms)} | ${run.executed} / ${run.cached} | ${run.ranRemote} |`);
      } finally {
        await cluster.stop();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return [
    title,
    '',
    `\`bench/remote-execution.bench.ts\`: \`kiln build ${TARGET} --jobs 2\` through the CLI, each build in a fresh copy of the sample project with an empty local cache, one run each (the machine is shared; figures vary by ±20 %). Servers on 127.0.0.1: bazel-remote 2.6.2, Buildbarn (bb_storage + bb_scheduler + N × bb_worker/bb_runner, concurrency 1 each) on the same 2 cores as the client.`,
    '',
    '| build | time | speed vs cold local | executed / cached | cooked remotely |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
