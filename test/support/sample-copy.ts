/** A private copy of the repo's workspace (root assets.yaml + sample-project/) in a temp folder. */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './run-kiln.js';

/**
 * Files the sample reads from the workspace's node_modules (the DejaVu Sans font comes from the
 * dejavu-fonts-ttf npm package): a copy of the workspace needs them too.
 */
export const SAMPLE_NODE_MODULE_FILES = ['node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'];

export function copySampleNodeModules(root: string): void {
  for (const file of SAMPLE_NODE_MODULE_FILES) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(root, file));
  }
}

export function copySample(prefix = 'kiln-sample-'): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(REPO_ROOT, 'assets.yaml'), join(root, 'assets.yaml'));
  cpSync(join(REPO_ROOT, 'sample-project'), join(root, 'sample-project'), {
    recursive: true,
    filter: (src) => !src.includes('node_modules') && !src.endsWith('.kiln') && !src.includes('kiln-out'),
  });
  copySampleNodeModules(root);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
