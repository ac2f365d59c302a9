/**
 * The one check of flag values, for every command and for the up-to-date shortcut alike (which
 * would otherwise answer "up to date", exit 0, for `--jobs abc`). Kept free of heavy imports:
 * the shortcut runs it before the engine is loaded.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { runnerFlagProblem } from './runner-flags.js';

export type FlagValues = Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>;

/** The first problem with the given flag values, worded for the user, or undefined. */
export function checkFlags(values: FlagValues, cwd: string): string | undefined {
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const runner = runnerFlagProblem({ jobs: text('jobs'), workers: text('workers'), 'action-timeout': text('action-timeout') });
  if (runner) return runner;
  const port = text('port');
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65535)) return `--port must be 0…65535, got ${JSON.stringify(port)}`;
  const platform = text('platform');
  if (platform !== undefined && platform.trim() === '') return '--platform must name a platform';
  const remote = text('remote-cache');
  if (remote !== undefined && remote !== '' && !hasProtocol(remote, ['http:', 'https:', 'grpc:', 'grpcs:'])) {
    return `--remote-cache must be an http://, https://, grpc:// or grpcs:// URL, got ${JSON.stringify(redact(remote))}`;
  }
  const executor = text('remote-executor');
  if (executor !== undefined && executor !== '' && !hasProtocol(executor, ['grpc:', 'grpcs:'])) {
    return `--remote-executor must be a grpc:// or grpcs:// URL, got ${JSON.stringify(redact(executor))}`;
  }
  const mode = text('remote-cache-mode');
  if (mode !== undefined && mode !== 'read' && mode !== 'read-write') return `--remote-cache-mode must be read or read-write, got ${JSON.stringify(mode)}`;
  for (const name of ['summary-json', 'profile']) {
    const path = text(name);
    if (path === undefined) continue;
    if (path === '') return `--${name} needs a file name`;
    const folder = dirname(resolve(cwd, path));
    const info = statSync(folder, { throwIfNoEntry: false });
    if (!info?.isDirectory()) return `--${name} ${path}: folder ${folder} does not exist`;
  }
  return undefined;
}

function hasProtocol(text: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** Never echo credentials from a URL back to a terminal or CI log. */
function redact(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//***@');
}
