/**
 * `kiln build` when nothing changed, without loading the engine: parse the command line by hand,
 * find the snapshot the last identical build left, stat what it lists. Only Node built-ins and
 * light modules are imported here; any doubt (an unknown flag, no snapshot, one stat differs)
 * returns false and the normal CLI runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { isUpToDate, readSnapshot, snapshotPath } from '../engine/up-to-date-snapshot.js';
import { findWorkspaceRoot } from '../workspace/find-root.js';
import type { CommandIO } from './command.js';
import { checkFlags } from './flag-check.js';
import { kilnStamp } from './kiln-stamp.js';

const VALUE_FLAGS = new Map([
  ['-p', 'platform'],
  ['--platform', 'platform'],
  ['-j', 'jobs'],
  ['--jobs', 'jobs'],
  ['--summary-json', 'summary-json'],
  ['--remote-cache', 'remote-cache'],
  ['--remote-cache-mode', 'remote-cache-mode'],
]);
/** Flags that cannot change the outcome of a build in which nothing runs. */
const HARMLESS_SWITCHES = new Set(['-k', '--keep-going', '-v', '--verbose', '--explain']);

export interface BuildCommandLine {
  patterns: string[];
  platform: string;
  summaryJson?: string;
  /** Every flag value given, for `checkFlags`. */
  values: Record<string, string>;
}

/** The parts of `kiln build …` that matter here, or undefined for anything unusual. */
export function parseBuildCommandLine(argv: readonly string[]): BuildCommandLine | undefined {
  if (argv[0] !== 'build') return undefined;
  const values: Record<string, string> = {};
  const patterns: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) return undefined;
      values[VALUE_FLAGS.get(flag)!] = value;
    } else if (HARMLESS_SWITCHES.has(arg)) {
      continue;
    } else if (arg.startsWith('-')) {
      return undefined;
    } else {
      patterns.push(arg);
    }
  }
  return { patterns: patterns.length > 0 ? patterns : ['//...'], platform: values.platform ?? '', summaryJson: values['summary-json'], values };
}

/** The cache folder as the root assets.yaml names it (a guess: a wrong one only misses). */
export function guessCacheDir(root: string): string {
  let cache = '.kiln';
  try {
    const match = /^\s+cache:\s*["']?([^\s"'#]+)/m.exec(readFileSync(join(root, 'assets.yaml'), 'utf8'));
    if (match) cache = match[1]!;
  } catch {
    // No readable root file: the engine will say what is wrong.
  }
  return isAbsolute(cache) ? cache : join(root, cache);
}

/** Finish `kiln build` here if nothing changed; returns whether it did. */
export function tryUpToDate(argv: readonly string[], io: CommandIO): boolean {
  const started = performance.now();
  const line = parseBuildCommandLine(argv);
  // A bad flag is reported by the full CLI (exit 2), even when nothing changed.
  if (!line || checkFlags(line.values, io.cwd) !== undefined) return false;
  const root = findWorkspaceRoot(io.cwd);
  if (!root) return false;
  const path = snapshotPath(guessCacheDir(root), { patterns: line.patterns, platform: line.platform, kiln: kilnStamp() });
  const snapshot = readSnapshot(path);
  if (!snapshot || !isUpToDate(snapshot)) return false;
  if (line.summaryJson) {
    let summary: unknown;
    try {
      summary = JSON.parse(readFileSync(`${path}.summary.json`, 'utf8'));
    } catch {
      return false;
    }
    const durationMs = Math.round(performance.now() - started);
    try {
      writeFileSync(resolve(io.cwd, line.summaryJson), `${JSON.stringify({ ...(summary as object), durationMs }, null, 2)}\n`);
    } catch {
      // Unwritable (permissions, a folder in the way): the full CLI reports it as an error.
      return false;
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  io.stdout(`kiln: ${snapshot.platform}: 0 executed, ${snapshot.targets} cached in ${seconds} s (up to date)\n`);
  return true;
}
