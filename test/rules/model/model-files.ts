/** Loads model folders from disk into the in-memory file map the rule harness reads. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
export const corpusRoot = resolve(repoRoot, '../shared/corpus');
export const hasCorpus = existsSync(join(corpusRoot, 'gltf'));
export const fixtures = join(repoRoot, 'test/fixtures/model');

/** Every file under `dir`, keyed by its path relative to `root` with `/` separators. */
export function filesUnder(root: string, dir: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(root, full).split('\\').join('/')] = new Uint8Array(readFileSync(full));
    }
  };
  walk(join(root, dir));
  return out;
}

export const PLATFORMS = {
  desktop: { lods: [1, 0.5, 0.25], meshopt: false, max_triangles: 1_000_000, budget: 'error' },
  mobile: { lods: [1, 0.4, 0.15], meshopt: true, max_triangles: 100_000, budget: 'error', max_embedded_texture_size: 1024 },
  web: { lods: [1, 0.5, 0.2], meshopt: true, max_triangles: 200_000, budget: 'warning' },
} as const;
