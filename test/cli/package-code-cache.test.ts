import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PackageCodeCache } from '../../src/cli/package-code-cache.js';

describe('the npm packages code cache', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function fakePackage(version: number): { root: string; cacheDir: string; load: () => Record<string, unknown> } {
    const root = mkdtempSync(join(tmpdir(), 'kiln-pkg-cache-'));
    dirs.push(root);
    const pkg = join(root, 'node_modules', 'fakepkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"fakepkg","main":"index.js"}');
    writeFileSync(join(pkg, 'helper.js'), `exports.version = ${version};\n`);
    writeFileSync(join(pkg, 'index.js'), "module.exports = { helper: require('./helper.js').version, self: this === module.exports, file: __filename, dir: __dirname, resolved: require.resolve('./helper.js') };\n");
    const cacheDir = join(root, 'bundle');
    mkdirSync(cacheDir);
    const load = () => {
      for (const key of Object.keys(require.cache)) if (key.startsWith(root)) delete require.cache[key];
      return createRequire(join(root, 'main.js'))('fakepkg') as Record<string, unknown>;
    };
    return { root, cacheDir, load };
  }

  it('runs each file as Node would, writes caches after the run, and never runs another source from them', () => {
    const { root, cacheDir, load } = fakePackage(1);
    const pkg = join(root, 'node_modules', 'fakepkg');
    const expected = { helper: 1, self: true, file: join(pkg, 'index.js'), dir: pkg, resolved: join(pkg, 'helper.js') };
    const first = new PackageCodeCache(cacheDir, 'bundle-id node v8 arch', 'build');
    expect(first.require(load)).toEqual(expected);
    expect(readdirSync(cacheDir)).toHaveLength(0);
    first.save();
    expect(readdirSync(cacheDir).filter((name) => name.endsWith('.build.cache'))).toHaveLength(2);
    // With the caches: the same exports.
    expect(new PackageCodeCache(cacheDir, 'bundle-id node v8 arch', 'build').require(load)).toEqual(expected);
    // A new version of the same length: its own code runs, not the cache of the old one.
    writeFileSync(join(pkg, 'helper.js'), 'exports.version = 2;\n');
    expect(new PackageCodeCache(cacheDir, 'bundle-id node v8 arch', 'build').require(load)).toEqual({ ...expected, helper: 2 });
  });

  it('puts Node’s own compile back after the require, also when it throws', () => {
    const proto = (Module as unknown as { prototype: { _compile: unknown } }).prototype;
    const original = proto._compile;
    const { cacheDir } = fakePackage(1);
    const cache = new PackageCodeCache(cacheDir, 'k', 'build');
    expect(() =>
      cache.require(() => {
        expect(proto._compile).not.toBe(original);
        throw new Error('no such package');
      }),
    ).toThrow('no such package');
    expect(proto._compile).toBe(original);
  });
});
