/**
 * The command line: invalid flags are exit 2 even when the build is up to date (the shortcut
 * must not answer for them), an unwritable --summary-json is a clear error with no stack, an
 * unknown rule name suggests the nearest, and scratch folders of killed cooks are cleared.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../support/run-kiln.js';
import { type TempWorkspace, tempWorkspace } from '../support/temp-workspace.js';

const STACK = /^\s+at .+[(:]\d+/m;
const FILES = { 'pkgs/lvl/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n', 'pkgs/lvl/cfg.json': '{"a": 1}' };

/** Runs the CLI exactly as given (run-kiln adds its own --summary-json, which would hide these cases). */
function run(cwd: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 120_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

function upToDateWorkspace(): TempWorkspace {
  const w = tempWorkspace(FILES);
  expect(run(w.root, ['build', '//lvl:all']).code).toBe(0);
  // Nothing changed: the second build runs nothing (the request graph answers it; there is no separate shortcut).
  expect(run(w.root, ['build', '//lvl:all']).stdout).toMatch(/\b0 executed\b/);
  return w;
}

describe('flags on an up-to-date build', () => {
  it.each([
    [['--jobs', 'abc'], '--jobs must be a positive integer'],
    [['--jobs=0'], '--jobs must be a positive integer'],
    [['--remote-cache', 'ftp://cache.example/'], '--remote-cache must be an http://, https://, grpc:// or grpcs:// URL'],
    [['--remote-cache-mode', 'write'], '--remote-cache-mode must be read or read-write'],
  ])('%j exits 2 with the reason', (flags, message) => {
    ws = upToDateWorkspace();
    const result = run(ws.root, ['build', '//lvl:all', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).not.toContain('up to date');
  });

  it('--summary-json into a folder that does not exist is a clear error, no stack', () => {
    ws = upToDateWorkspace();
    const result = run(ws.root, ['build', '//lvl:all', '--summary-json', '/nonexistent/d/s.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--summary-json /nonexistent/d/s.json: folder /nonexistent/d does not exist');
    expect(result.stderr).not.toMatch(STACK);
  });
});

describe('kiln rules', () => {
  it('an unknown rule name exits 2 and suggests the nearest', () => {
    ws = tempWorkspace(FILES);
    const result = run(ws.root, ['rules', 'textur']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no rule "textur" (did you mean "texture"?)');
    expect(run(ws.root, ['rules', 'texture']).code).toBe(0);
  });
});

describe('scratch folders', () => {
  it('a killed cook’s temp folder is removed at the next build; a live process’s is kept', () => {
    ws = tempWorkspace(FILES);
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    const orphan = join(tmpdir(), `kiln-cook-${deadPid}-Ab12Cd`);
    const live = join(tmpdir(), `kiln-cook-${process.pid}-Ef34Gh`);
    for (const dir of [orphan, live]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'half-written.png'), 'x');
    }
    try {
      expect(run(ws.root, ['build', '//lvl:all']).code).toBe(0);
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      rmSync(orphan, { recursive: true, force: true });
      rmSync(live, { recursive: true, force: true });
    }
  });
});
