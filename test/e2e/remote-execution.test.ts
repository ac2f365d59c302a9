/**
 * Remote cooking on a real local Buildbarn with two workers: the sample's //... cooks remotely
 * with outputs byte-identical to a local build; a cook killed mid-action on a worker is retried
 * and the build stays correct; a shader whose #included header changed is re-executed with the
 * new header (the first remote cook of it also exercises "read a file that was not staged →
 * stage it and run again").
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildSummary } from '../../src/engine/build-result.js';
import { type BuildbarnCluster, buildbarnSkipReason, startBuildbarn } from '../support/buildbarn.js';
import { CLI, kiln, REPO_ROOT } from '../support/run-kiln.js';
import { copySample } from '../support/sample-copy.js';
import { treeDifferences, treeDigests } from './support/file-tree.js';

const skip = buildbarnSkipReason();
const HEADER = 'sample-project/common/shaders/lib/lighting.glsl';

/** The sample's font comes from the workspace's node_modules, which copySample leaves out. */
function withSampleFont(copy: ReturnType<typeof copySample>): ReturnType<typeof copySample> {
  const font = 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf';
  mkdirSync(dirname(join(copy.root, font)), { recursive: true });
  cpSync(join(REPO_ROOT, font), join(copy.root, font));
  return copy;
}

function remoteTargets(summary: BuildSummary | undefined): string[] {
  return (summary?.targets ?? []).filter((target) => target.ranIn === 'remote').map((target) => target.label);
}

/** The action processes a bb_runner has started right now (its children). */
function cooksUnder(runnerPid: number): number[] {
  const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(runnerPid)], { encoding: 'utf8' });
  return ps.stdout.split('\n').map((line) => Number(line.trim())).filter((pid) => pid > 0);
}

describe.skipIf(skip !== undefined)('remote cooking on Buildbarn (two workers)', () => {
  let cluster: BuildbarnCluster;
  let local: ReturnType<typeof copySample>;
  let remote: ReturnType<typeof copySample>;
  let killed: ReturnType<typeof copySample>;

  beforeAll(async () => {
    cluster = await startBuildbarn(2);
    local = withSampleFont(copySample('kiln-rex-local-'));
    remote = withSampleFont(copySample('kiln-rex-remote-'));
    killed = copySample('kiln-rex-killed-');
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    for (const folder of [local, remote, killed]) folder?.cleanup();
  });

  it('//... cooks remotely with outputs byte-identical to a local build', () => {
    const here = kiln(local.root, ['build', '//...']);
    expect(here.code, here.stderr).toBe(0);
    const there = kiln(remote.root, ['build', '//...', '--remote-executor', cluster.url]);
    expect(there.code, there.stderr).toBe(0);
    expect(there.stderr).toBe('');
    expect(there.summary?.executed).toBe(here.summary?.executed);
    // Every action a separate process can import (what a local build cooks on its worker pool)
    // cooks remotely; cheap rules that cook in the build's own thread (files, data, bundle…) stay local.
    const pooled = (here.summary?.targets ?? []).filter((target) => target.ranIn === 'worker').map((target) => target.label);
    expect(pooled.length).toBeGreaterThan(10);
    expect(remoteTargets(there.summary).sort()).toEqual(pooled.sort());
    expect(treeDifferences(treeDigests(join(local.root, 'kiln-out')), treeDigests(join(remote.root, 'kiln-out')))).toEqual([]);
  }, 240_000);

  it('a shader whose included header changed is re-executed remotely with the new header', () => {
    for (const folder of [local, remote]) {
      const path = join(folder.root, HEADER);
      writeFileSync(path, readFileSync(path, 'utf8').replace('return saturate(dot(n, l)) / PI;', 'return saturate(dot(n, l)) * 0.5 / PI;'));
    }
    const here = kiln(local.root, ['build', '//common/shaders:lit']);
    expect(here.code, here.stderr).toBe(0);
    const there = kiln(remote.root, ['build', '//common/shaders:lit', '--remote-executor', cluster.url]);
    expect(there.code, there.stderr).toBe(0);
    expect(remoteTargets(there.summary)).toEqual(['//common/shaders:lit']);
    const lit = (root: string) => new Map([...treeDigests(join(root, 'kiln-out', 'desktop', 'common', 'shaders'))].filter(([path]) => path.startsWith('lit.')));
    expect(lit(local.root).size).toBeGreaterThan(0);
    expect(treeDifferences(lit(local.root), lit(remote.root))).toEqual([]);
  }, 120_000);

  it('a cook killed mid-action on a worker is retried and the build stays correct', async () => {
    const child = spawn(process.execPath, [CLI, 'build', '//levels/forest:ground_n', '//levels/forest:leaves', '--remote-executor', cluster.url, '--summary-json', 'summary.json'], {
      cwd: killed.root,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    let victims: number[] = [];
    const deadline = Date.now() + 60_000;
    while (victims.length === 0 && Date.now() < deadline && child.exitCode === null) {
      victims = cluster.workers.flatMap((worker) => cooksUnder(worker.runnerPid));
      if (victims.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(victims.length).toBeGreaterThan(0);
    process.kill(victims[0]!, 'SIGKILL');
    expect(await exited, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(killed.root, 'summary.json'), 'utf8')) as BuildSummary;
    expect(summary.failed).toBe(0);
    // The local reference (a no-op when the //... test above already cooked it).
    expect(kiln(local.root, ['build', '//levels/forest:ground_n', '//levels/forest:leaves']).code).toBe(0);
    const reference = treeDigests(join(local.root, 'kiln-out', 'desktop', 'levels', 'forest'));
    const outputs = treeDigests(join(killed.root, 'kiln-out', 'desktop', 'levels', 'forest'));
    for (const [path, digest] of outputs) expect(reference.get(path), path).toBe(digest);
    expect([...outputs.keys()].sort()).toEqual(expect.arrayContaining(['ground_n.ktx2', 'leaves.ktx2']));
  }, 120_000);
});
