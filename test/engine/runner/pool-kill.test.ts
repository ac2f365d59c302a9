/**
 * `kill -9` of a build while pool workers are cooking: the next build must succeed with exactly
 * a clean build's outputs (worker threads die with the process; nothing they had half-done may
 * be trusted). Through the compiled CLI on the sample's audio clips, whose cooks run on the pool.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executedLabels, kiln } from '../../support/run-kiln.js';
import { copySample } from '../../support/sample-copy.js';
import { treeDifferences, treeDigests } from '../../e2e/support/file-tree.js';
import { sleep, spawnKiln } from '../../e2e/support/spawn-kiln.js';

const AUDIO = '//common/audio:all';

describe('kill -9 during a pool cook', () => {
  let reference: Map<string, string>;
  let sample: { root: string; cleanup: () => void };

  beforeAll(() => {
    const clean = copySample('kiln-pool-ref-');
    try {
      const run = kiln(clean.root, ['build', AUDIO, '--jobs', '2']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.summary?.targets.filter((t) => t.ranIn === 'worker').length).toBe(4);
      reference = treeDigests(join(clean.root, 'kiln-out'));
    } finally {
      clean.cleanup();
    }
    sample = copySample('kiln-pool-kill-');
  }, 120_000);
  afterAll(() => sample?.cleanup());

  it('leaves a cache the next build trusts or repairs: same outputs as a clean build', async () => {
    const build = spawnKiln(sample.root, ['build', AUDIO, '--jobs', '2']);
    // Kill once the first clip is done: the other cooks are then in flight on the workers.
    const firstDone = new Promise<void>((resolve) => {
      let seen = '';
      build.child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (/^audio\s+\/\/common\/audio:/m.test(seen)) resolve();
      });
    });
    await Promise.race([firstDone, build.done, sleep(60_000)]);
    build.child.kill('SIGKILL');
    const killed = await build.done;
    expect(killed.signal, `the build finished before it could be killed:\n${killed.stdout}`).toBe('SIGKILL');
    const next = kiln(sample.root, ['build', AUDIO, '--jobs', '2']);
    expect(next.code, next.stderr).toBe(0);
    expect(executedLabels(next).length).toBeGreaterThan(0);
    expect(treeDifferences(reference, treeDigests(join(sample.root, 'kiln-out')))).toEqual([]);
  }, 120_000);
});
