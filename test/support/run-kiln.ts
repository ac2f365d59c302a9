/** Runs the compiled CLI (`dist/src/cli/main.js`) as a user would, in a child process. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildSummary } from '../../src/engine/build-result.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(REPO_ROOT, 'dist/src/cli/main.js');

export interface KilnRun {
  code: number;
  stdout: string;
  stderr: string;
  summary?: BuildSummary;
}

export function kiln(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): KilnRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const summaryPath = join(cwd, `.summary-${process.pid}-${Date.now()}.json`);
  const wantsSummary = ['build', 'validate', 'explain'].includes(args[0] ?? '');
  const result = spawnSync(process.execPath, [CLI, ...args, ...(wantsSummary ? ['--summary-json', summaryPath] : [])], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...env },
    timeout: 300_000,
  });
  let summary: BuildSummary | undefined;
  if (wantsSummary && existsSync(summaryPath)) summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as BuildSummary;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, summary };
}

/** Labels that ran in a build, sorted. */
export function executedLabels(run: KilnRun): string[] {
  return (run.summary?.targets ?? []).filter((t) => t.status === 'executed').map((t) => t.label).sort();
}
