import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, kiln } from '../support/run-kiln.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const FILES = {
  'pkgs/common/assets.yaml': 'targets:\n  settings: { rule: data, srcs: [settings.yaml] }\n',
  'pkgs/common/settings.yaml': 'volume: 0.8\n',
  'pkgs/lvl/assets.yaml': 'targets:\n  level: { rule: data, srcs: [level.json], deps: ["//common:settings"] }\n  pack: { rule: bundle, deps: [":level"] }\n',
  'pkgs/lvl/level.json': '{"name": "demo"}',
};

describe('the kiln CLI', () => {
  it('answers deps/rdeps queries and prints the graph as dot and JSON', () => {
    ws = tempWorkspace(FILES);
    expect(kiln(ws.root, ['query', 'deps(//lvl:pack)']).stdout).toBe('//lvl:level\n');
    expect(kiln(ws.root, ['query', 'alldeps(//lvl:pack)']).stdout).toBe('//common:settings\n//lvl:level\n');
    expect(kiln(ws.root, ['query', 'rdeps(//common:settings)']).stdout).toBe('//lvl:level\n');
    expect(kiln(ws.root, ['query', 'allrdeps(//common:settings)']).stdout).toBe('//lvl:level\n//lvl:pack\n');
    expect(kiln(ws.root, ['query', '//lvl/...']).stdout).toBe('//lvl:level\n//lvl:pack\n');
    const dot = kiln(ws.root, ['graph', '//lvl:pack']).stdout;
    expect(dot).toContain('"//lvl:pack" -> "//lvl:level";');
    expect(dot).toContain('"//lvl:level" -> "//common:settings";');
    const json = JSON.parse(kiln(ws.root, ['graph', '//lvl:pack', '--format', 'json']).stdout) as { nodes: { label: string; deps: string[] }[] };
    expect(json.nodes.find((n) => n.label === '//lvl:level')?.deps).toEqual(['//common:settings']);
  });

  it('explains why actions ran and writes a Chrome trace with --profile', () => {
    ws = tempWorkspace(FILES);
    expect(kiln(ws.root, ['build', '//lvl:pack']).code).toBe(0);
    ws.write('pkgs/common/settings.yaml', 'volume: 0.5\n');
    const explained = kiln(ws.root, ['explain', '//lvl:pack']);
    expect(explained.stdout).toContain('because source changed: pkgs/common/settings.yaml');
    expect(explained.stdout).toContain('because dependency output changed: //common:settings');
    const profile = kiln(ws.root, ['build', '//lvl:pack', '--profile', 'trace.json']);
    expect(profile.code).toBe(0);
    const trace = JSON.parse(readFileSync(join(ws.root, 'trace.json'), 'utf8')) as { traceEvents: { ph: string; name: string }[] };
    expect(trace.traceEvents.filter((e) => e.ph === 'X').map((e) => e.name).sort()).toEqual(['//common:settings', '//lvl:level', '//lvl:pack']);
  });

  it('lists rules, cleans outputs and the cache, and rejects bad usage with exit code 2', () => {
    ws = tempWorkspace(FILES);
    const rules = kiln(ws.root, ['rules', 'data']).stdout;
    expect(rules).toMatch(/^data \(v\d+, data\): /);
    expect(rules).toContain('  format: auto | json | yaml | csv = "auto"');
    const texture = kiln(ws.root, ['rules', 'texture']).stdout;
    expect(texture).toContain('  block_align: resize | pad | fail = "resize" — level 0 of block formats');
    expect(texture).toContain('  platform settings (rules.texture / platforms.<name>.texture):\n    format: bc7 | astc | etc2 | basis | rgba8 | png | webp = "rgba8"');
    kiln(ws.root, ['build', '//lvl:pack']);
    expect(existsSync(join(ws.root, 'kiln-out/desktop/lvl/pack.tar'))).toBe(true);
    expect(kiln(ws.root, ['clean']).code).toBe(0);
    expect(existsSync(join(ws.root, 'kiln-out'))).toBe(false);
    expect(existsSync(join(ws.root, '.kiln'))).toBe(false);
    const unknown = kiln(ws.root, ['biuld']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "biuld"');
    const badFlag = kiln(ws.root, ['build', '--jbos', '2']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/Unknown option '--jbos'/);
    expect(kiln(ws.root, ['build', '--platform', 'switch']).stderr).toContain('unknown platform "switch"; platforms: desktop, mobile');
  });

  it('stops quietly when the reader of its output goes away (kiln rules | head -c 10)', () => {
    ws = tempWorkspace(FILES);
    // pipefail: the pipeline fails if the CLI does (it used to die on an unhandled EPIPE, exit 1).
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" rules | head -c 10 >/dev/null`], { cwd: ws.root, encoding: 'utf8' });
    expect(piped.stderr).not.toContain('EPIPE');
    expect(piped.status).toBe(0);
  });
});
