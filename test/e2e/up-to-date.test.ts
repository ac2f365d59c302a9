import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executedLabels, kiln } from '../support/run-kiln.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const FILES = {
  'pkgs/lvl/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n  rocks: { rule: files, glob: "rock_*.txt" }\n',
  'pkgs/lvl/cfg.json': '{"a": 1}',
  'pkgs/lvl/rock_1.txt': 'r1',
};

/** Let the folders kiln just wrote into age past the snapshot's racy window. */
function ageFolders(...dirs: string[]): void {
  const past = new Date(Date.now() - 10_000);
  for (const dir of dirs) utimesSync(join(ws.root, dir), past, past);
}

describe('the up-to-date shortcut (no engine when nothing changed)', () => {
  it('answers an identical build from the snapshot, with the same summary', () => {
    ws = tempWorkspace(FILES);
    ageFolders('pkgs', 'pkgs/lvl');
    const first = kiln(ws.root, ['build', '//lvl:all']);
    expect(first.code).toBe(0);
    const second = kiln(ws.root, ['build', '//lvl:all']);
    expect(second.stdout).toContain('(up to date)');
    expect(second.summary?.executed).toBe(0);
    expect(second.summary?.cached).toBe(2);
    expect(second.summary?.targets.map((t) => t.label).sort()).toEqual(['//lvl:cfg', '//lvl:rocks/rock_1']);
  });

  it('notices a new file matching a glob, a deleted output and an edited source', () => {
    ws = tempWorkspace(FILES);
    ageFolders('pkgs', 'pkgs/lvl');
    kiln(ws.root, ['build', '//lvl:all']);
    ws.write('pkgs/lvl/rock_2.txt', 'r2');
    const added = kiln(ws.root, ['build', '//lvl:all']);
    expect(added.stdout).not.toContain('(up to date)');
    expect(executedLabels(added)).toEqual(['//lvl:rocks/rock_2']);

    ageFolders('pkgs/lvl');
    expect(kiln(ws.root, ['build', '//lvl:all']).stdout).not.toContain('(up to date)');
    expect(kiln(ws.root, ['build', '//lvl:all']).stdout).toContain('(up to date)');
    ws.remove('kiln-out/desktop/lvl/cfg.json');
    const restored = kiln(ws.root, ['build', '//lvl:all']);
    expect(restored.stdout).not.toContain('(up to date)');
    expect(ws.read('kiln-out/desktop/lvl/cfg.json').toString()).toBe('{"a":1}');

    ws.write('pkgs/lvl/cfg.json', '{"a": 2}');
    const edited = kiln(ws.root, ['build', '//lvl:all']);
    expect(executedLabels(edited)).toEqual(['//lvl:cfg']);
  });

  it('keeps platforms, patterns and failed builds apart', () => {
    ws = tempWorkspace(FILES);
    ageFolders('pkgs', 'pkgs/lvl');
    kiln(ws.root, ['build', '//lvl:all']);
    expect(kiln(ws.root, ['build', '//lvl:all', '--platform', 'mobile']).stdout).not.toContain('(up to date)');
    expect(kiln(ws.root, ['build', '//lvl:cfg']).stdout).not.toContain('(up to date)');
    ws.write('pkgs/lvl/cfg.json', '{"a": ');
    expect(kiln(ws.root, ['build', '//lvl:all']).code).toBe(1);
    expect(kiln(ws.root, ['build', '//lvl:all']).code).toBe(1);
  });
});
