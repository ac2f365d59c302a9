import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, executedLabels, kiln } from '../support/run-kiln.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const FILES = {
  'pkgs/lvl/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n  rocks: { rule: files, glob: "rock_*.txt" }\n',
  'pkgs/lvl/cfg.json': '{"a": 1}',
  'pkgs/lvl/rock_1.txt': 'r1',
};

describe('a build in which nothing changed (the request graph, persisted, answers it)', () => {
  it('runs nothing and reads no source again, with the same summary', () => {
    ws = tempWorkspace(FILES);
    const first = kiln(ws.root, ['build', '//lvl:all']);
    expect(first.code).toBe(0);
    const second = kiln(ws.root, ['build', '//lvl:all']);
    expect(second.code).toBe(0);
    expect(second.summary?.executed).toBe(0);
    expect(second.summary?.cached).toBe(2);
    expect(second.summary?.filesHashed).toBe(0);
    expect(second.summary?.materialized.sort()).toEqual(first.summary?.materialized.sort());
    expect(second.summary?.materialized).toHaveLength(2);
    expect(second.summary?.targets.map((t) => t.label).sort()).toEqual(['//lvl:cfg', '//lvl:rocks/rock_1']);
  });

  it('notices a new file matching a glob, a deleted output and an edited source', () => {
    ws = tempWorkspace(FILES);
    kiln(ws.root, ['build', '//lvl:all']);
    ws.write('pkgs/lvl/rock_2.txt', 'r2');
    const added = kiln(ws.root, ['build', '//lvl:all']);
    expect(executedLabels(added)).toEqual(['//lvl:rocks/rock_2']);
    expect(executedLabels(kiln(ws.root, ['build', '//lvl:all']))).toEqual([]);

    ws.remove('kiln-out/desktop/lvl/cfg.json');
    const restored = kiln(ws.root, ['build', '//lvl:all']);
    expect(executedLabels(restored)).toEqual([]);
    expect(ws.read('kiln-out/desktop/lvl/cfg.json').toString()).toBe('{"a":1}');

    ws.write('pkgs/lvl/cfg.json', '{"a": 2}');
    const edited = kiln(ws.root, ['build', '//lvl:all']);
    expect(executedLabels(edited)).toEqual(['//lvl:cfg']);
  });

  it('keeps platforms, patterns and failed builds apart', () => {
    ws = tempWorkspace(FILES);
    kiln(ws.root, ['build', '//lvl:all']);
    const mobile = kiln(ws.root, ['build', '//lvl:all', '--platform', 'mobile']);
    expect(mobile.code).toBe(0);
    expect(mobile.summary?.platform).toBe('mobile');
    expect(kiln(ws.root, ['build', '//lvl:cfg']).summary?.targets.map((t) => t.label)).toEqual(['//lvl:cfg']);
    ws.write('pkgs/lvl/cfg.json', '{"a": ');
    expect(kiln(ws.root, ['build', '//lvl:all']).code).toBe(1);
    expect(kiln(ws.root, ['build', '//lvl:all']).code).toBe(1);
  });

  it('writes the same summary JSON, byte for byte, from the record\'s bytes as from its parsed reports', () => {
    ws = tempWorkspace(FILES);
    kiln(ws.root, ['build', '//lvl:all']);
    // --verbose needs every report, so it takes the parsed path; the plain no-op copies bytes.
    const text = (args: string[]) => {
      const path = join(ws.root, 'summary.json');
      const run = spawnSync(process.execPath, [CLI, 'build', '//lvl:all', '--summary-json', path, ...args], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(path, 'utf8').replace(/"durationMs": \d+,\n  "filesHashed"/, '"durationMs": 0,\n  "filesHashed"');
    };
    text([]); // a source younger than the racy window is vouched for from the build after
    expect(text([])).toBe(text(['--verbose']));
    // A partial build's summary: the rebuilt report spliced into the record's bytes, printed
    // exactly as JSON.stringify prints the parsed whole.
    ws.write('pkgs/lvl/rock_1.txt', 'r1 again');
    const changed = text([]);
    expect(changed).toBe(`${JSON.stringify(JSON.parse(changed), null, 2)}\n`);
    const parsed = JSON.parse(changed) as { executed: number; cached: number; targets: { label: string; status: string }[]; materialized: string[] };
    expect([parsed.executed, parsed.cached, parsed.materialized.length]).toEqual([1, 1, 2]);
    expect(parsed.targets.map((t) => `${t.label} ${t.status}`)).toEqual(['//lvl:cfg cached', '//lvl:rocks/rock_1 executed']);
    // Then the no-op with that report spliced in from the record's delta.
    text([]);
    const spliced = text([]);
    expect(spliced).toBe(text(['--verbose']));
    expect((JSON.parse(spliced) as { cached: number }).cached).toBe(2);
  });
});
