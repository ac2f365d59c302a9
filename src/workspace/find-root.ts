import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder at or above `start` whose `assets.yaml` has a top-level `workspace:` key. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const file = join(dir, 'assets.yaml');
    if (existsSync(file) && /^workspace\s*:/m.test(readFileSync(file, 'utf8'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
