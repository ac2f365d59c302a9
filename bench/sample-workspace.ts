/** A private copy of the sample workspace for benchmarks that drive the CLI (root assets.yaml, sample-project/, the font package it reads). */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/bench/ where benchmarks run. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function sampleCopy(scratch: string, name: string): string {
  const root = join(scratch, name);
  mkdirSync(root);
  cpSync(join(REPO, 'assets.yaml'), join(root, 'assets.yaml'));
  cpSync(join(REPO, 'sample-project'), join(root, 'sample-project'), {
    recursive: true,
    filter: (src) => !src.includes('node_modules') && !src.endsWith('.kiln') && !src.includes('kiln-out'),
  });
  // The sample's font comes from the dejavu-fonts-ttf npm package in the workspace's node_modules.
  mkdirSync(join(root, 'node_modules/dejavu-fonts-ttf/ttf'), { recursive: true });
  cpSync(join(REPO, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), join(root, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  return root;
}
