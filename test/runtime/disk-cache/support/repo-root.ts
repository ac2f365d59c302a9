/** The repository root, from the TypeScript source or from its compiled copy under dist/ (benchmarks import these helpers). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function repoRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) dir = dirname(dir);
  return dir;
}
