/**
 * Reproducibility, CI-style: two clean builds of the whole sample project (`//...`) in two different
 * folders, with different TZ, LANG/LC_ALL, --jobs and umask, give byte-identical kiln-out trees
 * (every file: textures, models, audio, scripts, bundles, catalogs).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/run-kiln.js';
import { copySample } from '../support/sample-copy.js';
import { treeDifferences, treeDigests } from './support/file-tree.js';

/**
 * Outputs known to differ between clean builds, with the reason; each is a bug reported against
 * its rule and must leave this list when fixed. They are still required to exist in both trees.
 * (The font rule's subset .otf was here until it pinned OpenType head.created/modified.)
 */
const KNOWN_NONDETERMINISTIC: Record<string, string> = {};

interface Setup {
  jobs: string;
  umask: string;
  env: NodeJS.ProcessEnv;
}

/** Run the CLI under `sh` so the build gets its own umask; resolves with exit code and stderr. */
function buildUnder(cwd: string, setup: Setup): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', `umask ${setup.umask} && exec "$0" "$@"`, process.execPath, CLI, 'build', '//...', '--jobs', setup.jobs], {
      cwd,
      env: { ...process.env, CI: 'true', ...setup.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describe('reproducible builds of the whole sample project', () => {
  let a: ReturnType<typeof copySample>;
  let b: ReturnType<typeof copySample>;
  beforeAll(() => {
    a = copySample('kiln-repro-a-');
    // A longer, differently named path: absolute paths must not leak into outputs.
    b = copySample('kiln-repro-b-with-a-much-longer-folder-name-');
  });
  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('gives byte-identical kiln-out trees under different TZ, LANG, --jobs and umask', async () => {
    // The two builds run at the same time: also different scheduling and load.
    const [first, second] = await Promise.all([
      buildUnder(a.root, { jobs: '1', umask: '022', env: { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' } }),
      buildUnder(b.root, { jobs: '3', umask: '077', env: { TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'tr_TR.UTF-8' } }),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const treeA = treeDigests(join(a.root, 'kiln-out'));
    const treeB = treeDigests(join(b.root, 'kiln-out'));
    expect(treeA.size).toBeGreaterThan(30);
    expect([...treeA.keys()].some((p) => p.endsWith('bundle.tar'))).toBe(true);
    const differences = treeDifferences(treeA, treeB);
    const known = differences.filter((d) => d.startsWith('differs: ') && d.slice('differs: '.length) in KNOWN_NONDETERMINISTIC);
    for (const d of known) console.warn(`reproducible-builds: known issue, ${d} (${KNOWN_NONDETERMINISTIC[d.slice('differs: '.length)]})`);
    expect(differences.filter((d) => !known.includes(d))).toEqual([]);
    for (const path of Object.keys(KNOWN_NONDETERMINISTIC)) expect(treeA.has(path) && treeB.has(path), path).toBe(true);
  }, 240_000);
});
