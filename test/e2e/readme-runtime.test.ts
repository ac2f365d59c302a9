/**
 * The README's runtime code runs as written: its Node blocks in "Runtime: streaming bundles into a
 * game" and "Runtime client" are extracted, saved as .mjs files in a cooked copy of the sample
 * (with `kiln` and `ws` resolvable from node_modules, as in a game that installed kiln) and run
 * with node — the hot-reload one against a real `kiln watch`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySample } from '../support/sample-copy.js';
import { CLI, kiln, REPO_ROOT } from '../support/run-kiln.js';

/** The ```js blocks of the README section that starts with `heading` (up to the next heading of the same level). */
export function codeBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}" section`);
  const level = heading.slice(0, heading.indexOf(' ') + 1);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n${level.replace(/#/g, '#')}(?!#)`));
  const body = end < 0 ? rest : rest.slice(0, end);
  return [...body.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
let sample: { root: string; cleanup: () => void };

function runScript(name: string, code: string, env: NodeJS.ProcessEnv = {}) {
  const file = join(sample.root, name);
  writeFileSync(file, code);
  return spawnSync(process.execPath, [file], { cwd: sample.root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
}

beforeAll(() => {
  sample = copySample('kiln-readme-');
  mkdirSync(join(sample.root, 'node_modules'), { recursive: true }); // the copy may already hold the sample's font package
  symlinkSync(REPO_ROOT, join(sample.root, 'node_modules/kiln'), 'dir');
  symlinkSync(join(REPO_ROOT, 'node_modules/ws'), join(sample.root, 'node_modules/ws'), 'dir');
  const build = kiln(sample.root, ['build', '//levels/forest:bundle']);
  if (build.code !== 0) throw new Error(`kiln build //levels/forest:bundle failed:\n${build.stderr}`);
}, 300_000);

afterAll(() => sample?.cleanup());

describe('README runtime examples', () => {
  it('the Node streaming example runs: whole assets, GPU accounting, close()', () => {
    const [node] = codeBlocks(readme, '## Runtime: streaming bundles into a game');
    expect(node).toContain("from 'kiln/runtime'");
    const run = runScript('readme-streaming.mjs', node!);
    expect(run.stderr).not.toMatch(/DEP0137|Error/);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/bytes of VRAM/);
    expect(run.stdout).toMatch(/uploads: 1/);
  });

  it('the hot-reload client example runs against kiln watch (connect() before live())', async () => {
    const [client] = codeBlocks(readme, '### Runtime client');
    expect(client!.indexOf('connect()')).toBeLessThan(client!.indexOf('live('));
    const watch = spawn(process.execPath, [CLI, 'watch', '//levels/forest:bundle', '--port', '0'], { cwd: sample.root, env: { ...process.env, CI: 'true' } });
    let out = '';
    watch.stdout.on('data', (c: Buffer) => (out += c.toString()));
    watch.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kiln watch printed no URL:\n${out}`)), 120_000);
        watch.stdout.on('data', () => {
          const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const run = runScript('readme-hot-reload.mjs', client!, { KILN_WATCH_URL: url });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/reloadsPerMinute/);
    } finally {
      watch.kill('SIGINT');
      await new Promise((resolve) => watch.once('exit', resolve));
    }
  }, 180_000);
});
