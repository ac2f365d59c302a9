/**
 * A whole Buildbarn worker (bb_worker and bb_runner, SIGKILL) lost while it cooks: the scheduler
 * notices the missing worker (after its fixed one-minute synchronization timeout) and hands the
 * action to the other worker; kiln keeps following the operation and the build's outputs are
 * those of a local cook. Slow by Buildbarn's design (~1 min of waiting).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildSummary } from '../../src/engine/build-result.js';
import { type BuildbarnCluster, buildbarnSkipReason, startBuildbarn } from '../support/buildbarn.js';
import { CLI, kiln } from '../support/run-kiln.js';
import { copySample } from '../support/sample-copy.js';
import { treeDigests } from './support/file-tree.js';

const skip = buildbarnSkipReason();
const TARGET = '//levels/forest:ground_n';

describe.skipIf(skip !== undefined)('a Buildbarn worker lost mid-action', () => {
  let cluster: BuildbarnCluster;
  let local: ReturnType<typeof copySample>;
  let remote: ReturnType<typeof copySample>;
  beforeAll(async () => {
    cluster = await startBuildbarn(2);
    local = copySample('kiln-rex-loss-local-');
    remote = copySample('kiln-rex-loss-remote-');
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    for (const folder of [local, remote]) folder?.cleanup();
  });

  it('is replaced by the other worker and the build is correct', async () => {
    expect(kiln(local.root, ['build', TARGET]).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'build', TARGET, '--remote-executor', cluster.url, '--summary-json', 'summary.json'], {
      cwd: remote.root,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    // Wait until one worker's runner has a cook running, then take that whole worker away.
    const busy = async () => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        for (const worker of cluster.workers) {
          const { stdout } = await import('node:child_process').then(({ spawnSync }) => spawnSync('ps', ['-o', 'pid=', '--ppid', String(worker.runnerPid)], { encoding: 'utf8' }));
          const cooks = stdout.split('\n').map((line) => Number(line.trim())).filter((pid) => pid > 0);
          if (cooks.length > 0) return { worker, cooks };
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return undefined;
    };
    const victim = await busy();
    expect(victim).toBeDefined();
    victim!.worker.kill();
    for (const pid of victim!.cooks) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone with its runner.
      }
    }
    expect(await exited, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(remote.root, 'summary.json'), 'utf8')) as BuildSummary;
    expect(summary.targets.find((t) => t.label === TARGET)?.ranIn).toBe('remote');
    const want = treeDigests(join(local.root, 'kiln-out', 'desktop', 'levels', 'forest'));
    const got = treeDigests(join(remote.root, 'kiln-out', 'desktop', 'levels', 'forest'));
    expect(got.get('ground_n.ktx2')).toBe(want.get('ground_n.ktx2'));
  }, 240_000);
});
