import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROCESS_START = Date.now() - Math.round(process.uptime() * 1e3);

/**
 * Which kiln installation runs, cheaply: the stats of its package.json and of the compiled
 * rule list and CLI entry. It stands for the rules' name@version list in the build record's key
 * (loading the rules to ask them costs more than a whole no-op build). Any reinstall or rebuild
 * of kiln rewrites these files (tsc emits every file on every build), so a bumped rule version
 * always comes with a new identity; the cost of that is only one full build.
 */
export function installIdentity(): string {
  // Run from TypeScript sources (tests, a development loader) no compiled file stands for the
  // rules' code: records then hold only within this process, whose modules cannot change.
  if (import.meta.url.endsWith('.ts')) return `sources:${process.pid}:${PROCESS_START}`;
  // From dist/src/cli/: the package root is three folders up, the compiled rules two.
  const files = ['../../../package.json', '../../rules/index.js', './main.js', import.meta.url].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return files
    .map((file) => {
      const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
      return stat ? `${stat.size}:${stat.mtimeNs}:${stat.ino}` : 'absent';
    })
    .join('|');
}
