/**
 * Produces `//levels/forest:bundle` for the end-to-end tests. With the CLI built
 * (`npm run build` → dist/src/cli/main.js) it cooks the real sample project in a temporary copy,
 * with `:bark` switched to uncompressed `rgba8` so a 2D canvas can show its mips; without a
 * built CLI it packs synthetic outputs through the bundle rule and says so.
 */
import { execFile } from 'node:child_process';
import { access, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { sampleBundle } from './sample-bundle.js';
import { copySampleNodeModules } from '../../support/sample-copy.js';

const repo = resolve(import.meta.dirname, '../../..');
const cli = join(repo, 'dist/src/cli/main.js');

export interface ForestBuild {
  /** The default platform's kiln-out folder (bundle at `levels/forest/bundle.tar`). */
  out: string;
  via: 'cli' | 'harness';
}

export async function buildForest(tmp: string): Promise<ForestBuild> {
  const out = join(tmp, 'kiln-out');
  if (!(await access(cli).then(() => true, () => false))) {
    console.warn(`[e2e] ${cli} is missing (run npm run build): packing synthetic outputs through the bundle rule instead`);
    const sample = await sampleBundle();
    await mkdir(join(out, 'levels/forest'), { recursive: true });
    for (const [name, bytes] of sample.files) await writeFile(join(out, 'levels/forest', name), bytes);
    return { out, via: 'harness' };
  }
  const ws = join(tmp, 'ws');
  await mkdir(ws, { recursive: true });
  await cp(join(repo, 'assets.yaml'), join(ws, 'assets.yaml'));
  await cp(join(repo, 'sample-project'), join(ws, 'sample-project'), { recursive: true });
  copySampleNodeModules(ws);
  const forestYaml = join(ws, 'sample-project/levels/forest/assets.yaml');
  const doc = parseDocument(await readFile(forestYaml, 'utf8'));
  doc.setIn(['targets', 'bark', 'format'], 'rgba8');
  await writeFile(forestYaml, doc.toString());
  await promisify(execFile)(process.execPath, [cli, 'build', '//levels/forest:bundle'], { cwd: ws, timeout: 240_000, env: { ...process.env, CI: 'true' } });
  await cp(join(ws, 'kiln-out', 'desktop'), out, { recursive: true });
  return { out, via: 'cli' };
}
