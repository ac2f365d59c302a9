/**
 * Hostile or mistaken workspace files: a YAML alias bomb, huge packages, duplicate keys among
 * 91k targets, and `out`/`cache` settings that point at the sources, the root or outside.
 * Each is a clear error naming the file; --keep-going still builds the rest; clean deletes only
 * folders kiln made.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocatedError } from '../../src/workspace/located-error.js';
import { YamlFile } from '../../src/workspace/yaml-file.js';
import { kiln } from '../support/run-kiln.js';
import { ROOT_YAML, type TempWorkspace, tempWorkspace } from '../support/temp-workspace.js';

const STACK = /^\s+at .+[(:]\d+/m;
const GOOD = { 'pkgs/good/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n', 'pkgs/good/cfg.json': '{"a": 1}' };

let ws: TempWorkspace | undefined;
const extra: string[] = [];
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
  for (const dir of extra.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function aliasBomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push('targets:', '  x: { rule: data, srcs: [x.json], extra: *a9 }');
  return `${lines.join('\n')}\n`;
}

const rootWith = (settings: string) => ROOT_YAML.replace('  packages: pkgs\n', `  packages: pkgs\n${settings}`);

describe('package files', () => {
  it('an alias bomb is an error naming the file and package; --keep-going builds the other package', () => {
    ws = tempWorkspace({ ...GOOD, 'pkgs/bomb/assets.yaml': aliasBomb(), 'pkgs/bomb/x.json': '{}' });
    const run = kiln(ws.root, ['build', '//...', '--keep-going']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('pkgs/bomb/assets.yaml');
    expect(run.stderr).toContain('//bomb');
    expect(run.stderr).toContain('YAML too complex');
    expect(run.stderr).not.toMatch(STACK);
    expect(ws.read('kiln-out/desktop/good/cfg.json').toString()).toBe('{"a":1}');
  });

  it('finds a duplicate key among 91,000 targets with its line:column, without the quadratic check', { timeout: 30_000 }, () => {
    const n = 91_000;
    const lines = ['targets:'];
    for (let i = 0; i < n; i++) lines.push(`  t${i}: { rule: data, srcs: [a.json] }`);
    lines.push('  t5: { rule: data, srcs: [b.json] }');
    let error: unknown;
    try {
      YamlFile.parse(`${lines.join('\n')}\n`, 'pkgs/big/assets.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LocatedError);
    expect((error as LocatedError).where).toEqual({ file: 'pkgs/big/assets.yaml', line: n + 2, column: 3 });
    expect((error as LocatedError).message).toContain('"t5" appears twice');
    // Nested mappings are checked too, and equal keys in different mappings are fine.
    expect(() => YamlFile.parse('a: { x: 1 }\nb: { x: 2 }\n', 'f')).not.toThrow();
    expect(() => YamlFile.parse('a: { x: 1, y: 2, x: 3 }\n', 'f')).toThrow(LocatedError);
  });

  it('895,000 targets are a clear "too large" error naming the file, not a V8 abort', () => {
    const lines = ['targets:'];
    for (let i = 0; i < 895_000; i++) lines.push(`  t${i}: { rule: data, srcs: [a.json] }`);
    ws = tempWorkspace({ ...GOOD, 'pkgs/huge/assets.yaml': `${lines.join('\n')}\n` });
    const run = kiln(ws.root, ['build', '//...', '--keep-going']);
    // A package too large to load is a configuration error: exit 2, the good package still built.
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pkgs/huge/assets.yaml');
    expect(run.stderr).toContain('YAML too large');
    expect(ws.read('kiln-out/desktop/good/cfg.json').toString()).toBe('{"a":1}');
  });
});

describe('out and cache folders', () => {
  it('out: . is refused, and kiln clean --outputs-only deletes nothing', () => {
    ws = tempWorkspace(GOOD, rootWith('  out: .\n'));
    const build = kiln(ws.root, ['build', '//good:cfg']);
    expect(build.code).toBe(2);
    expect(build.stderr).toMatch(/assets\.yaml:\d+:\d+: workspace\.out must be a folder inside the workspace/);
    expect(kiln(ws.root, ['clean', '--outputs-only']).code).toBe(2);
    expect(existsSync(join(ws.root, 'pkgs/good/cfg.json'))).toBe(true);
    expect(existsSync(join(ws.root, 'assets.yaml'))).toBe(true);
  });

  it('cache: ../victim is refused and the folder outside survives kiln clean', () => {
    const parent = mkdtempSync(join(tmpdir(), 'kiln-victim-'));
    extra.push(parent);
    const root = join(parent, 'ws');
    mkdirSync(join(parent, 'victim'), { recursive: true });
    writeFileSync(join(parent, 'victim/precious.txt'), 'keep me');
    mkdirSync(join(root, 'pkgs/good'), { recursive: true });
    writeFileSync(join(root, 'assets.yaml'), rootWith('  cache: ../victim\n'));
    writeFileSync(join(root, 'pkgs/good/assets.yaml'), GOOD['pkgs/good/assets.yaml']);
    writeFileSync(join(root, 'pkgs/good/cfg.json'), GOOD['pkgs/good/cfg.json']);
    const clean = kiln(root, ['clean']);
    expect(clean.code).toBe(2);
    expect(clean.stderr).toContain('workspace.cache must be a folder inside the workspace');
    expect(existsSync(join(parent, 'victim/precious.txt'))).toBe(true);
  });

  it('out: pkgs (the sources) is refused before anything is written', () => {
    ws = tempWorkspace(GOOD, rootWith('  out: pkgs\n'));
    const build = kiln(ws.root, ['build', '//good:cfg']);
    expect(build.code).toBe(2);
    expect(build.stderr).toContain('would contain the packages folder');
    expect(existsSync(join(ws.root, 'pkgs/good/cfg.json'))).toBe(true);
    expect(existsSync(join(ws.root, 'kiln-out'))).toBe(false);
  });

  it('kiln clean removes the folders kiln made and refuses a user folder named as out', () => {
    ws = tempWorkspace(GOOD);
    expect(kiln(ws.root, ['build', '//good:cfg']).code).toBe(0);
    const clean = kiln(ws.root, ['clean']);
    expect(clean.code).toBe(0);
    expect(existsSync(join(ws.root, 'kiln-out'))).toBe(false);
    expect(existsSync(join(ws.root, '.kiln'))).toBe(false);

    // A user's own folder, later named as `out`, is written into but never deleted by clean.
    ws.write('docs/notes.md', 'mine');
    ws.write('assets.yaml', rootWith('  out: docs\n'));
    expect(kiln(ws.root, ['build', '//good:cfg']).code).toBe(0);
    expect(ws.read('docs/desktop/good/cfg.json').toString()).toBe('{"a":1}');
    const refused = kiln(ws.root, ['clean', '--outputs-only']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('was not created by kiln');
    expect(ws.read('docs/notes.md').toString()).toBe('mine');
  });
});

describe('sources that are not files', () => {
  it('a FIFO, /dev/zero and a folder as sources say what they are (not "not found"); the rest builds', () => {
    ws = tempWorkspace({
      ...GOOD,
      'pkgs/odd/assets.yaml': 'targets:\n  pipe: { rule: data, srcs: [pipe.json] }\n  zero: { rule: data, srcs: [zero.json] }\n  dir: { rule: data, srcs: [dir.json] }\n',
    });
    mkdirSync(join(ws.root, 'pkgs/odd/dir.json'), { recursive: true });
    symlinkSync('/dev/zero', join(ws.root, 'pkgs/odd/zero.json'));
    const fifo = spawnSync('mkfifo', [join(ws.root, 'pkgs/odd/pipe.json')]);
    const run = kiln(ws.root, ['build', '//...', '--keep-going']);
    expect(run.code).not.toBe(0);
    if (fifo.status === 0) expect(run.stderr).toContain('//odd:pipe: source pkgs/odd/pipe.json is a FIFO (named pipe), not a regular file');
    else console.log('FIFO case skipped: mkfifo is not available here');
    expect(run.stderr).toMatch(/\/\/odd:zero: (source pkgs\/odd\/zero\.json is a character device \(\/dev\/zero\)|.*outside the workspace)/);
    expect(run.stderr).toContain('//odd:dir: source pkgs/odd/dir.json is a folder, not a regular file');
    expect(run.stderr).not.toContain('not found');
    expect(ws.read('kiln-out/desktop/good/cfg.json').toString()).toBe('{"a":1}');
  });

  it('a glob over a symlinked folder says why it matches nothing', () => {
    ws = tempWorkspace({ ...GOOD, 'pkgs/art/assets.yaml': 'targets:\n  rocks: { rule: files, glob: "linked/*.txt" }\n', 'elsewhere/r1.txt': 'r1' });
    symlinkSync(join(ws.root, 'elsewhere'), join(ws.root, 'pkgs/art/linked'));
    const run = kiln(ws.root, ['build', '//art:all']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/pkgs\/art\/assets\.yaml:\d+:\d+: \/\/art:rocks: glob matches nothing: "linked" is a symlinked folder/);
  });
});
