/**
 * The bundled CLI's code cache (src/cli/cli-chunks.ts): written beside the chunks after a run,
 * read by the next, and never a difference in what the CLI does — a cache that is corrupt,
 * from another bundle or Node, or cannot be written is the same as none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeCacheKey, codeCachePath, readCodeCache, writeCodeCache } from '../../src/cli/cli-chunks.js';
import { CLI, REPO_ROOT } from '../support/run-kiln.js';

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

const bundleDir = (): { id: string; dir: string } => {
  const stamp = JSON.parse(readFileSync(join(REPO_ROOT, 'dist/cli-bundle/stamp.json'), 'utf8')) as { dir: string };
  return { id: stamp.dir, dir: join(REPO_ROOT, 'dist/cli-bundle', stamp.dir) };
};

const rules = () => spawnSync(process.execPath, [CLI, 'rules'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

describe('the code cache of the bundled CLI', () => {
  it('is written after a run and read back by the next, which prints the same', () => {
    const { id, dir } = bundleDir();
    const first = rules();
    expect(first.status, first.stderr).toBe(0);
    const entryCache = codeCachePath(join(dir, 'run-cli.cjs'), 'rules');
    expect(readCodeCache(entryCache, codeCacheKey(id))).toBeInstanceOf(Buffer);
    const second = rules();
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
  });

  it('is ignored when corrupt, and rewritten', () => {
    const { id, dir } = bundleDir();
    expect(rules().status).toBe(0);
    const caches = readdirSync(dir).filter((name) => name.endsWith('.rules.cache'));
    expect(caches.length).toBeGreaterThan(0);
    const expected = rules().stdout;
    // Same length, same header, other payload bytes: only the checksum tells them apart.
    for (const name of caches) {
      const bytes = readFileSync(join(dir, name));
      const start = bytes.indexOf(10) + 1;
      for (let i = start; i < bytes.length; i += 7) bytes[i] = bytes[i]! ^ 0x5a;
      writeFileSync(join(dir, name), bytes);
    }
    const run = rules();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(expected);
    // The chunks' caches (an npm package's, package-code-cache.ts, also name its source's hash).
    for (const name of caches.filter((n) => !n.startsWith('package-'))) expect(readCodeCache(join(dir, name), codeCacheKey(id))).toBeInstanceOf(Buffer);
    for (const name of caches.filter((n) => n.startsWith('package-'))) expect(readFileSync(join(dir, name)).indexOf(10)).toBeGreaterThan(0);
  });

  it('is read only for the bundle, Node and V8 it was written by', () => {
    scratch = mkdtempSync(join(tmpdir(), 'kiln-code-cache-'));
    const path = join(scratch, 'chunk.cjs.build.cache');
    const payload = Buffer.from('not really V8 code, but bytes to keep');
    writeCodeCache(path, codeCacheKey('0123456789abcdef'), payload);
    expect(readCodeCache(path, codeCacheKey('0123456789abcdef'))).toEqual(payload);
    expect(readCodeCache(path, codeCacheKey('fedcba9876543210'))).toBeUndefined();
    expect(readCodeCache(path, `0123456789abcdef v0.0.1 ${process.versions.v8} ${process.arch}`)).toBeUndefined();
    writeFileSync(path, readFileSync(path).subarray(0, 40));
    expect(readCodeCache(path, codeCacheKey('0123456789abcdef'))).toBeUndefined();
    expect(readCodeCache(join(scratch, 'missing.cache'), codeCacheKey('0123456789abcdef'))).toBeUndefined();
  });

  it('cannot be written into a missing or unwritable folder, and that is no failure', () => {
    scratch = mkdtempSync(join(tmpdir(), 'kiln-code-cache-'));
    const path = join(scratch, 'gone', 'chunk.cjs.build.cache');
    expect(() => writeCodeCache(path, codeCacheKey('0123456789abcdef'), Buffer.from('x'))).not.toThrow();
    expect(existsSync(join(scratch, 'gone'))).toBe(false);
  });

  it('is kept per command, and a command of another shape shares one file', () => {
    expect(codeCachePath('/b/run-cli.cjs', 'build')).toBe('/b/run-cli.cjs.build.cache');
    expect(codeCachePath('/b/run-cli.cjs', '--version')).toBe('/b/run-cli.cjs.other.cache');
    expect(codeCachePath('/b/run-cli.cjs', '../../etc')).toBe('/b/run-cli.cjs.other.cache');
    expect(codeCachePath('/b/run-cli.cjs', undefined)).toBe('/b/run-cli.cjs.other.cache');
  });
});
