import type { RemoteCacheOptions } from './create-cache-stack.js';
import type { RemoteCacheMode } from './tiered-cache-stack.js';

/** `workspace.remote_cache` in the root `assets.yaml`. */
export interface RemoteCacheYaml {
  url?: string;
  mode?: string;
  timeout_ms?: number;
}

export interface RemoteCacheSources {
  /** `--remote-cache URL`; an empty string turns the remote off. */
  flagUrl?: string | undefined;
  /** `--remote-cache-mode read|read-write`. */
  flagMode?: string | undefined;
  /** `KILN_REMOTE_CACHE`, `KILN_REMOTE_CACHE_MODE`, `KILN_REMOTE_CACHE_TIMEOUT_MS` (default `process.env`). */
  env?: Record<string, string | undefined>;
  yaml?: RemoteCacheYaml | undefined;
}

/**
 * Merge flag, environment and `assets.yaml` into remote cache options; precedence is
 * flag > env > yaml for each field independently. The mode defaults to `read`, so a developer
 * machine never uploads unless someone asked for it (CI sets `read-write`). Returns `undefined`
 * when no URL is configured anywhere (or the winning one is empty: `--remote-cache ""` turns a
 * yaml-configured cache off). Throws a plain message on a bad mode or timeout.
 */
export function resolveRemoteCacheOptions(sources: RemoteCacheSources): RemoteCacheOptions | undefined {
  const env = nonEmpty(sources.env ?? process.env);
  const yaml = sources.yaml ?? {};
  const url = first(sources.flagUrl, env.KILN_REMOTE_CACHE, yaml.url);
  if (url === undefined || url.trim() === '') return undefined;
  const mode = first(sources.flagMode, env.KILN_REMOTE_CACHE_MODE, yaml.mode) ?? 'read';
  if (mode !== 'read' && mode !== 'read-write') {
    throw new Error(`remote cache mode must be "read" or "read-write", got "${mode}"`);
  }
  const options: RemoteCacheOptions = { url: url.trim(), mode: mode satisfies RemoteCacheMode };
  const timeoutText = env.KILN_REMOTE_CACHE_TIMEOUT_MS;
  const timeout = timeoutText !== undefined ? Number(timeoutText) : yaml.timeout_ms;
  if (timeout !== undefined) {
    if (!Number.isFinite(timeout) || timeout <= 0) {
      throw new Error(`remote cache timeout must be a positive number of milliseconds, got "${String(timeout)}"`);
    }
    options.timeoutMs = timeout;
  }
  return options;
}

function first(...values: (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined);
}

/** An exported-but-empty variable means "not set" (CI templates often export blanks). */
function nonEmpty(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const names = ['KILN_REMOTE_CACHE', 'KILN_REMOTE_CACHE_MODE', 'KILN_REMOTE_CACHE_TIMEOUT_MS'];
  return Object.fromEntries(names.map((name) => [name, env[name] === '' ? undefined : env[name]]));
}
