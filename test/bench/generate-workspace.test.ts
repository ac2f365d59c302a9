import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assetContent, generateWorkspace } from '../../bench/generate-workspace.js';
import { executedLabels, kiln } from '../support/run-kiln.js';

const ninjaAvailable = spawnSync('ninja', ['--version']).status === 0;

describe('bench/generate-workspace', () => {
  const root = mkdtempSync(join(tmpdir(), 'kiln-bench-gen-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const ws = generateWorkspace(root, { assets: 50, packages: 5, assetBytes: 100 });

  it('spreads the assets over the packages, one files target each plus one bundle per package', () => {
    expect(ws.assetPaths).toHaveLength(50);
    expect(ws.targets).toBe(55);
    expect(readdirSync(join(root, 'assets')).sort()).toEqual(['p000', 'p001', 'p002', 'p003', 'p004']);
    const yaml = readFileSync(join(root, 'assets/p001/assets.yaml'), 'utf8');
    expect(yaml).toContain('a00010: { rule: files, srcs: [a00010.bin] }');
    expect(yaml).toMatch(/bundle:\n {4}rule: bundle\n {4}deps: \[":a00010", .*":a00019"\]/);
    expect(readFileSync(join(root, ws.assetPaths[7]!), 'utf8')).toBe(assetContent(7, 100));
  });

  it('gives a workspace kiln builds: all targets, then a no-op, then one copy and its bundle', () => {
    const cold = kiln(root, ['build', '//...']);
    expect(cold.stderr).toBe('');
    expect(cold.code).toBe(0);
    expect(cold.summary?.executed).toBe(55);
    expect(readFileSync(join(root, 'kiln-out/desktop/p003/a00031.bin'), 'utf8')).toBe(assetContent(31, 100));
    expect(existsSync(join(root, 'kiln-out/desktop/p003/bundle.tar'))).toBe(true);

    expect(kiln(root, ['build', '//...']).summary?.executed).toBe(0);

    writeFileSync(join(root, ws.assetPaths[31]!), assetContent(31, 100, 1));
    expect(executedLabels(kiln(root, ['build', '//...']))).toEqual(['//p003:a00031', '//p003:bundle']);
  });

  it.skipIf(!ninjaAvailable)('writes a build.ninja that ninja accepts and builds the same copies and bundles', () => {
    const first = spawnSync('ninja', [], { cwd: root, encoding: 'utf8' });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('[55/55]');
    expect(readFileSync(join(root, 'ninja-out/p003/a00031.bin'))).toEqual(readFileSync(join(root, ws.assetPaths[31]!)));
    const listing = spawnSync('tar', ['-tf', join(root, 'ninja-out/p000/bundle.tar')], { encoding: 'utf8' });
    expect(listing.stdout.trim().split('\n')).toHaveLength(10);
    expect(spawnSync('ninja', [], { cwd: root, encoding: 'utf8' }).stdout).toContain('no work to do');
  });
});
