/**
 * The bundled CLI (src/cli/bundle-cli.ts → dist/cli-bundle/): built from this compile, main.js
 * runs it, and it behaves as the compiled modules do — including what depends on each module
 * finding files beside itself (the worker pool's entry point, the rule modules a worker imports).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, executedLabels, kiln, REPO_ROOT } from '../support/run-kiln.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace | undefined;
let profiles: string | undefined;
afterEach(() => {
  ws?.cleanup();
  if (profiles) rmSync(profiles, { recursive: true, force: true });
});

/** The main thread's profile: Node names them CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile, the main thread being 0. */
function mainThreadProfile(dir: string): string {
  const main = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile') && name.split('.')[4] === '0');
  expect(main).toHaveLength(1);
  return readFileSync(join(dir, main[0]!), 'utf8');
}

const shader = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/shader', name));

describe('the bundled CLI', () => {
  it('is run while it matches the compile, and builds, answers a no-op and a change as the modules do', () => {
    const bundled = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/src/cli/bundle-cli.js')], { encoding: 'utf8' });
    expect(bundled.status, bundled.stderr).toBe(0);
    const main = statSync(CLI, { bigint: true });
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'dist/cli-bundle/stamp.json'), 'utf8'))).toMatchObject({ main: `${main.size}:${main.mtimeNs}:${main.ino}` });

    ws = tempWorkspace({
      'pkgs/lvl/assets.yaml': 'targets:\n  lit: { rule: shader, srcs: [lit.wgsl], defines: { SCALE: "1.0" } }\n  cfg: { rule: data, srcs: [cfg.json] }\n',
      'pkgs/lvl/lit.wgsl': shader('lit.wgsl'),
      'pkgs/lvl/lib/pbr.wgsl': shader('lib/pbr.wgsl'),
      'pkgs/lvl/cfg.json': '{"a": 1}',
    });
    // A CPU profile names every script that ran: the bundle's chunks, not the compiled modules.
    profiles = mkdtempSync(join(tmpdir(), 'kiln-bundle-prof-'));
    const first = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, CLI, 'build', '//lvl:all', '--summary-json', join(ws.root, 'first.json')], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(first.status, first.stderr).toBe(0);
    const profile = mainThreadProfile(profiles);
    expect(profile).toContain('/dist/cli-bundle/');
    expect(profile).not.toContain('/dist/src/engine/builder.js');
    const summary = JSON.parse(readFileSync(join(ws.root, 'first.json'), 'utf8')) as { targets: { label: string; status: string; ranIn?: string }[] };
    expect(summary.targets.find((t) => t.label === '//lvl:lit')).toMatchObject({ status: 'executed', ranIn: 'worker' });

    expect(kiln(ws.root, ['build', '//lvl:all']).summary?.executed).toBe(0);
    // A no-op loads no chunk that needs a preloaded module: xxhash's wasm never starts.
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'dist/cli-bundle/stamp.json'), 'utf8'))).toMatchObject({ eager: false });
    const noopProfiles = mkdtempSync(join(tmpdir(), 'kiln-bundle-prof-'));
    const noop = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${noopProfiles}`, CLI, 'build', '//lvl:all'], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(noop.status, noop.stderr).toBe(0);
    const noopProfile = mainThreadProfile(noopProfiles);
    rmSync(noopProfiles, { recursive: true, force: true });
    expect(noopProfile).toContain('/dist/cli-bundle/');
    expect(noopProfile).not.toContain('/dist/src/hash/xxhash.js');
    ws.write('pkgs/lvl/cfg.json', '{"a": 2}');
    expect(executedLabels(kiln(ws.root, ['build', '//lvl:all']))).toEqual(['//lvl:cfg']);
    ws.write('pkgs/lvl/assets.yaml', 'targets:\n  cfg: { rule: data, srcs: [cfg.json]\n');
    const broken = kiln(ws.root, ['build', '//lvl:all']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/assets\.yaml:\d+:\d+/);
  });

  it('is not run once the compile is newer than it', () => {
    ws = tempWorkspace({ 'pkgs/lvl/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n', 'pkgs/lvl/cfg.json': '{}' });
    profiles = mkdtempSync(join(tmpdir(), 'kiln-bundle-prof-'));
    // KILN_NO_BUNDLE stands in for a stale stamp (rewriting main.js here would race other tests).
    const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, CLI, 'build', '//lvl:all'], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, CI: 'true', KILN_NO_BUNDLE: '1' } });
    expect(run.status, run.stderr).toBe(0);
    expect(mainThreadProfile(profiles)).not.toContain('/dist/cli-bundle/');
  });
});
