import { expect, it } from 'vitest';
import { parseByteRange } from '../../src/watch/byte-range.js';
import { isIgnoredPath } from '../../src/watch/ignored-path.js';

it('drops editor temp files, VCS folders and the cache/out folders, keeps real files', () => {
  const skip = ['.kiln', 'kiln-out'];
  for (const path of ['pkgs/a/4913', 'pkgs/a/.hero.png.swp', 'pkgs/a/hero.png~', 'pkgs/a/.#stats.json', 'pkgs/a/x.tmp', '.git/index', 'node_modules/x/y.js', '.kiln/cas/ab', 'kiln-out/desktop/a/b.ktx2', 'pkgs/a/#stats.json#', 'pkgs/a/hero.png___jb_tmp___']) {
    expect(isIgnoredPath(path, skip), path).toBe(true);
  }
  for (const path of ['pkgs/a/hero.png', 'pkgs/a/assets.yaml', 'assets.yaml', 'pkgs/kiln-out-notes/a.txt', 'pkgs/a/tmp/data.json']) {
    expect(isIgnoredPath(path, skip), path).toBe(false);
  }
});

it('parses single byte ranges and refuses impossible ones', () => {
  expect(parseByteRange(undefined, 10)).toBeUndefined();
  expect(parseByteRange('bytes=2-4', 10)).toEqual({ start: 2, end: 4 });
  expect(parseByteRange('bytes=8-', 10)).toEqual({ start: 8, end: 9 });
  expect(parseByteRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
  expect(parseByteRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
  expect(parseByteRange('bytes=10-12', 10)).toBe('unsatisfiable');
  expect(parseByteRange('bytes=0-1,4-5', 10)).toBeUndefined();
});

