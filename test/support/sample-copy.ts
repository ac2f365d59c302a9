/** A private copy of the repo's workspace (root assets.yaml + sample-project/) in a temp folder. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './run-kiln.js';

export function copySample(prefix = 'kiln-sample-'): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(REPO_ROOT, 'assets.yaml'), join(root, 'assets.yaml'));
  cpSync(join(REPO_ROOT, 'sample-project'), join(root, 'sample-project'), {
    recursive: true,
    filter: (src) => !src.includes('node_modules') && !src.endsWith('.kiln') && !src.includes('kiln-out'),
  });
  // The font targets read DejaVu from the dejavu-fonts-ttf npm package (workspace-relative
  // node_modules path): bring that one package along.
  cpSync(join(REPO_ROOT, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), join(root, 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
