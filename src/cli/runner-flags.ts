/**
 * `--jobs`, `--workers` and `--action-timeout`, with `workspace.runner` in the root assets.yaml
 * as the default. The one parser of these flags (flag-check.ts uses it too), so a bad value is
 * a usage error before anything is built.
 */
import { availableParallelism } from 'node:os';

/**
 * Upper bound of `--jobs` and `--workers`. Each cook in flight holds its inputs and outputs in
 * memory and each worker thread its own heap and wasm modules; `--jobs 1e9` used to abort V8.
 */
export const MAX_JOBS = 256;

export interface RunnerSettings {
  /** Cooks in flight at once, for every rule type. */
  jobs: number;
  /** Worker threads for rules that can run in one (0: everything in-process). */
  workers: number;
  /** Per-action time limit in milliseconds, 0 for none. */
  actionTimeoutMs: number;
}

export interface RunnerDefaults {
  jobs?: number;
  workers?: number;
  action_timeout_seconds?: number;
}

type Parsed<T> = { value: T } | { error: string };

/** A whole number in [min, MAX_JOBS] written as digits, or why not. */
export function parseCount(flag: string, text: string, min: number): Parsed<number> {
  const value = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > MAX_JOBS) return { error: `${flag} must be a ${min === 0 ? 'whole number' : 'positive integer'} from ${min} to ${MAX_JOBS}, got ${JSON.stringify(text)}` };
  return { value };
}

/** Seconds (fractions allowed), 0 for no limit. */
export function parseSeconds(flag: string, text: string): Parsed<number> {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value > 7 * 24 * 3600) return { error: `${flag} must be a number of seconds (0 for no limit), got ${JSON.stringify(text)}` };
  return { value };
}

/** The first problem with `--jobs`, `--workers` or `--action-timeout`, for flag-check.ts. */
export function runnerFlagProblem(flags: { jobs?: string; workers?: string; 'action-timeout'?: string }): string | undefined {
  const settings = runnerSettings(flags);
  return 'error' in settings ? settings.error : undefined;
}

/** Flags first, then the workspace's `runner:` settings, then: jobs = cores, workers = jobs, no timeout. */
export function runnerSettings(flags: { jobs?: string; workers?: string; 'action-timeout'?: string }, defaults: RunnerDefaults = {}): Parsed<RunnerSettings> {
  let jobs = defaults.jobs ?? Math.min(MAX_JOBS, Math.max(1, availableParallelism()));
  if (flags.jobs !== undefined) {
    const parsed = parseCount('--jobs', flags.jobs, 1);
    if ('error' in parsed) return parsed;
    jobs = parsed.value;
  }
  let workers = defaults.workers ?? jobs;
  if (flags.workers !== undefined) {
    const parsed = parseCount('--workers', flags.workers, 0);
    if ('error' in parsed) return parsed;
    workers = parsed.value;
  }
  let seconds = defaults.action_timeout_seconds ?? 0;
  if (flags['action-timeout'] !== undefined) {
    const parsed = parseSeconds('--action-timeout', flags['action-timeout']);
    if ('error' in parsed) return parsed;
    seconds = parsed.value;
  }
  return { value: { jobs, workers: Math.min(workers, jobs), actionTimeoutMs: Math.round(seconds * 1000) } };
}
