import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetReport } from '../../src/budget/check-budgets.js';
import type { ReportedSummary } from '../../src/cli/build-report.js';
import { kiln } from '../support/run-kiln.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

const ROOT = (budgets = '') => `workspace: { name: budgets, packages: pkgs }
default_platform: desktop
rules:
  texture: { effort: fast, pot: warn }
platforms:
  desktop: { texture: { format: rgba8, max_size: 256 } }
  mobile: { texture: { format: rgba8, max_size: 32 } }
${budgets}`;

const PACKAGE = (bundleExtra = '') => `targets:
  big: { rule: texture, srcs: [textures/big.png] }
  mid: { rule: texture, srcs: [textures/mid.png] }
  small: { rule: texture, srcs: [textures/small.png] }
  layout: { rule: data, srcs: [layout.yaml] }
  bundle:
    rule: bundle
    deps: [":big", ":mid", ":small", ":layout"]
${bundleExtra}`;

let ws: TempWorkspace;

async function png(size: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(size * size * 4);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * seed + (i >> 7)) & 0xff;
  return sharp(raw, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}

function reportJson(args: string[] = []): BudgetReport {
  const run = kiln(ws.root, ['report', '//level:bundle', '--json', ...args]);
  return (JSON.parse(run.stdout) as { budgets: BudgetReport }).budgets;
}

/** The bundle's use of a measure on a platform, read through `kiln report` with a huge limit. */
function useOf(key: string, platform = 'desktop'): number {
  ws.write('pkgs/level/assets.yaml', PACKAGE(`    ${key}: 1000000000\n`));
  const result = reportJson(['--platform', platform]).results[0]!;
  return result.use;
}

beforeAll(async () => {
  ws = tempWorkspace({
    'pkgs/level/textures/big.png': await png(128, 7),
    'pkgs/level/textures/mid.png': await png(64, 11),
    'pkgs/level/textures/small.png': await png(32, 13),
    'pkgs/level/layout.yaml': 'spawn: [0, 0, 0]\n',
    'pkgs/level/assets.yaml': PACKAGE(),
  }, ROOT());
});

afterAll(() => ws.cleanup());

describe('budgets on a bundle', () => {
  it('passes under and at the limit, fails one byte over, naming the biggest texture first', () => {
    const vram = useOf('max_vram_bytes');
    expect(vram).toBeGreaterThan(0);

    ws.write('pkgs/level/assets.yaml', PACKAGE(`    max_vram_bytes: ${vram}\n`));
    const at = kiln(ws.root, ['build', '//level:bundle']);
    expect(at.code, at.stderr).toBe(0);
    expect((at.summary as ReportedSummary).budgets!.results[0]).toMatchObject({ measure: 'vram_bytes', use: vram, limit: vram, status: 'at' });

    ws.write('pkgs/level/assets.yaml', PACKAGE(`    max_vram_bytes: ${vram - 1}\n`));
    const over = kiln(ws.root, ['build', '//level:bundle']);
    expect(over.code).toBe(1);
    const row = over.stderr.split('\n').find((line) => line.includes('vram_bytes') && line.includes('OVER'));
    expect(row, over.stderr).toBeDefined();
    expect(row!.indexOf('//level:big')).toBeLessThan(row!.indexOf('//level:mid'));
    expect(over.stderr).toMatch(/pkgs\/level\/assets\.yaml:9:\d+: \/\/level:bundle: vram_bytes/);
    const result = (over.summary as ReportedSummary).budgets!.results[0]!;
    expect(result).toMatchObject({ status: 'over', severity: 'error' });
    expect(result.offenders.map((o) => o.label)).toEqual(['//level:big', '//level:mid', '//level:small']);

    // Nothing changed, still over: the up-to-date fast path must not turn it into a success.
    expect(kiln(ws.root, ['build', '//level:bundle']).code).toBe(1);

    ws.write('pkgs/level/assets.yaml', PACKAGE(`    max_vram_bytes: ${vram + 1}\n`));
    const under = kiln(ws.root, ['build', '//level:bundle']);
    expect(under.code).toBe(0);
    expect((under.summary as ReportedSummary).budgets!.results[0]!.status).toBe('under');

    // Nothing changed (the request graph answers, no separate shortcut): the same budgets, and the metrics of a build that cooked nothing.
    const replay = kiln(ws.root, ['build', '//level:bundle']);
    expect(replay.code).toBe(0);
    const replayed = replay.summary as ReportedSummary;
    expect(replayed.executed).toBe(0);
    expect(replayed.budgets!.results[0]).toMatchObject({ measure: 'vram_bytes', use: vram, status: 'under' });
    expect(replayed.metrics).toMatchObject({ cacheHitRate: 1, bytesCooked: 0 });
  });

  it('takes a platform\'s own limit from platforms:, measured with that platform\'s textures', () => {
    const desktop = useOf('max_vram_bytes', 'desktop');
    const mobile = useOf('max_vram_bytes', 'mobile');
    expect(mobile).toBeLessThan(desktop);
    ws.write('pkgs/level/assets.yaml', PACKAGE(`    max_vram_bytes: ${desktop}\n    platforms: { mobile: { max_vram_bytes: ${mobile - 1} } }\n`));
    expect(kiln(ws.root, ['build', '//level:bundle']).code).toBe(0);
    const onMobile = kiln(ws.root, ['build', '//level:bundle', '--platform', 'mobile']);
    expect(onMobile.code).toBe(1);
    expect((onMobile.summary as ReportedSummary).budgets!.results[0]).toMatchObject({ use: mobile, limit: mobile - 1, status: 'over' });
  });

  it('counts textures, the largest texture, assets and download bytes', () => {
    ws.write('pkgs/level/assets.yaml', PACKAGE('    max_textures: 3\n    max_texture_size: 127\n    max_assets: 4\n    max_download_bytes: 1000000000\n'));
    const report = reportJson();
    const by = Object.fromEntries(report.results.map((r) => [r.measure, r]));
    expect(by.textures).toMatchObject({ use: 3, status: 'at' });
    expect(by.texture_size).toMatchObject({ use: 128, status: 'over' });
    expect(by.texture_size!.offenders[0]!.label).toBe('//level:big');
    expect(by.assets).toMatchObject({ use: 4, status: 'at' });
    const tar = readFileSync(join(ws.root, 'kiln-out/desktop/level/bundle.tar')).byteLength;
    expect(by.download_bytes!.use).toBeGreaterThanOrEqual(tar);
  });

  it('only warns when budget: warning, and the build succeeds', () => {
    ws.write('pkgs/level/assets.yaml', PACKAGE('    max_textures: 1\n    budget: warning\n'));
    const run = kiln(ws.root, ['build', '//level:bundle']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/textures\s+3\s+1\s+over \(warning\)/);
    expect((run.summary as ReportedSummary).budgets!.warnings).toBe(1);
  });
});

describe('budgets in the root assets.yaml', () => {
  it('checks a pattern with its own per-platform limits', () => {
    ws.write('pkgs/level/assets.yaml', PACKAGE());
    ws.write('assets.yaml', ROOT('budgets:\n  "//level:all":\n    max_textures: 3\n    platforms: { mobile: { max_textures: 2 } }\n'));
    const desktop = kiln(ws.root, ['report', '//level:all']);
    expect(desktop.code).toBe(0);
    expect(desktop.stdout).toMatch(/\/\/level:all\s+textures\s+3\s+3\s+at/);
    const mobile = kiln(ws.root, ['report', '//level:all', '--platform', 'mobile']);
    expect(mobile.code).toBe(1);
    expect(mobile.stdout).toMatch(/\/\/level:all\s+textures\s+3\s+2\s+OVER/);
  });

  it('lists a budget whose targets the build does not cover as unchecked, not as a partial figure', () => {
    ws.write('assets.yaml', ROOT('budgets:\n  "//level:all": { max_textures: 1 }\n'));
    const run = kiln(ws.root, ['report', '//level:big']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('//level:all: not checked, not part of this build');
  });

  it('rejects a misspelt limit with file:line before building anything', () => {
    ws.write('assets.yaml', ROOT('budgets:\n  "//level:all": { max_texturez: 1 }\n'));
    const run = kiln(ws.root, ['build', '//level:bundle']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/assets\.yaml:9:\d+: .*unknown attribute "max_texturez" \(did you mean "max_textures"\?\)/);
    ws.write('assets.yaml', ROOT('budgets:\n  "//level:all": { platforms: { console: { max_textures: 1 } } }\n'));
    const platform = kiln(ws.root, ['build', '//level:bundle']);
    expect(platform.code).toBe(2);
    expect(platform.stderr).toMatch(/assets\.yaml:9:\d+: unknown platform "console"/);
    ws.write('assets.yaml', ROOT());
  });
});

describe('kiln report', () => {
  it('writes an HTML page with a bar per budget, and copies nothing to kiln-out', () => {
    ws.write('assets.yaml', ROOT());
    ws.write('pkgs/level/assets.yaml', PACKAGE('    max_textures: 2\n'));
    const run = kiln(ws.root, ['report', '//level:mid', '//level:bundle', '--html', 'budgets.html']);
    expect(run.code).toBe(1);
    const html = readFileSync(join(ws.root, 'budgets.html'), 'utf8');
    expect(html).toContain('<tr class="over"><td>//level:bundle</td><td>textures</td>');
    expect(html).not.toContain('<script');
    expect(existsSync(join(ws.root, 'kiln-out/desktop/level/mid.ktx2'))).toBe(false);
  });
});
