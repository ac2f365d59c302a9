import { readFileSync, statSync } from 'node:fs';

/**
 * Identifies the installed kiln build: its version plus the mtimes of the compiled CLI and rule
 * registry, so an up-to-date snapshot never outlives an upgrade or a rebuild of kiln itself.
 */
export function kilnStamp(): string {
  const at = (rel: string) => new URL(rel, import.meta.url);
  let version = '0';
  try {
    version = (JSON.parse(readFileSync(at('../../../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // Running from an unusual layout: the mtimes below still tell builds apart.
  }
  const mtime = (rel: string) => statSync(at(rel), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return `${version}:${mtime('./run-cli.js')}:${mtime('../../rules/index.js')}`;
}
