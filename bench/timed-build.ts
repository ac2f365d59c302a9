/**
 * One `kiln build` through the compiled CLI in a fresh process, timed from outside, with the
 * parts of its `--summary-json` the benches compare. Shared by the benches that drive the
 * sample project (remote cache, remote execution) so they measure builds the same way.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './sample-workspace.js';

export const CLI = join(REPO, 'dist/src/cli/main.js');

export interface TimedBuild {
  ms: number;
  executed: number;
  cached: number;
  /** Targets whose cook ran on a remote executor. */
  ranRemote: number;
  remote?: { actionHits: number; uploads: number; bytesDown: number; bytesUp: number };
}

/** `kiln build <target> --jobs 2` in `root` (CI=true); throws with stderr when it fails. */
export function timedBuild(root: string, target: string, extra: readonly string[] = []): TimedBuild {
  const summary = join(root, 'summary.json');
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, 'build', target, '--jobs', '2', '--summary-json', summary, ...extra], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`kiln build ${target} ${extra.join(' ')} failed (${result.status}):\n${result.stderr}`);
  const parsed = JSON.parse(readFileSync(summary, 'utf8')) as Omit<TimedBuild, 'ms' | 'ranRemote'> & { targets: { ranIn?: string }[] };
  return {
    ms,
    executed: parsed.executed,
    cached: parsed.cached,
    ranRemote: parsed.targets.filter((t) => t.ranIn === 'remote').length,
    ...(parsed.remote ? { remote: parsed.remote } : {}),
  };
}
