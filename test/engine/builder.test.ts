import { readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataRule } from '../../rules/data/index.js';
import { filesRule } from '../../rules/files/index.js';
import { Builder } from '../../src/engine/builder.js';
import type { TargetReport } from '../../src/engine/build-result.js';
import { formatDiagnostic } from '../../src/diagnostic/format-diagnostic.js';
import { createRegistry } from '../../src/rule/registry.js';
import { defineRule, type AnyRule } from '../../src/rule/rule.js';
import { s } from '../../src/rule/schema.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { concatRule, flakyRule, includeRule, slowRule } from '../support/test-rules.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

function builderFor(rules: AnyRule[] = [concatRule(), dataRule(), includeRule()], jobs = 2): Builder {
  const workspace = Workspace.at(ws.root, createRegistry(rules));
  const cacheDir = workspace.config.cacheDir;
  return new Builder({ workspace, jobs, cache: { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) } });
}

/** A failed target's errors as the CLI prints them. */
const errorOf = (report: TargetReport | undefined) => report?.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n');
const codesOf = (report: TargetReport | undefined) => report?.diagnostics.map((d) => d.code);

const executed = (summary: { targets: { label: string; status: string }[] }) =>
  summary.targets.filter((t) => t.status === 'executed').map((t) => t.label).sort();

const LEVEL = {
  'pkgs/lvl/assets.yaml': `targets:
  a: { rule: concat, srcs: [a.txt] }
  b: { rule: concat, srcs: [b.txt] }
  stats: { rule: data, srcs: [stats.json] }
  mid: { rule: concat, srcs: [mid.txt], deps: [":a", ":stats"] }
  top: { rule: concat, deps: [":mid", ":b"] }
`,
  'pkgs/lvl/a.txt': 'A',
  'pkgs/lvl/b.txt': 'B',
  'pkgs/lvl/mid.txt': 'M',
  'pkgs/lvl/stats.json': '{"hp": 3, "speed": 2}',
};

describe('Builder', () => {
  it('does no work on a second build, nor after a touch that leaves content unchanged', async () => {
    ws = tempWorkspace(LEVEL);
    const first = await builderFor().build({ patterns: ['//lvl:top'] });
    expect(first.executed).toBe(5);
    const second = await builderFor().build({ patterns: ['//lvl:top'] });
    expect(second.executed).toBe(0);
    expect(second.cached).toBe(5);
    expect(second.filesHashed).toBe(0);
    ws.touch('pkgs/lvl/a.txt');
    const third = await builderFor().build({ patterns: ['//lvl:top'] });
    expect(third.executed).toBe(0);
    expect(third.filesHashed).toBe(1);
  });

  it('re-runs only the edited target and what depends on it', async () => {
    ws = tempWorkspace(LEVEL);
    await builderFor().build({ patterns: ['//lvl:top'] });
    ws.write('pkgs/lvl/a.txt', 'A2');
    const summary = await builderFor().build({ patterns: ['//lvl:top'] });
    expect(executed(summary)).toEqual(['//lvl:a', '//lvl:mid', '//lvl:top']);
    expect(ws.read('kiln-out/desktop/lvl/top.txt').toString()).toBe('A2|{"hp":3,"speed":2}|M|B');
  });

  it('stops at an edit whose output is unchanged (early cutoff)', async () => {
    ws = tempWorkspace(LEVEL);
    await builderFor().build({ patterns: ['//lvl:top'] });
    ws.write('pkgs/lvl/stats.json', '{\n  "speed": 2,\n  "hp": 3\n}\n');
    const summary = await builderFor().build({ patterns: ['//lvl:top'] });
    expect(executed(summary)).toEqual(['//lvl:stats']);
  });

  it('re-runs a target whose attribute changed and explains why', async () => {
    ws = tempWorkspace(LEVEL);
    await builderFor().build({ patterns: ['//lvl:top'] });
    ws.write('pkgs/lvl/assets.yaml', LEVEL['pkgs/lvl/assets.yaml'].replace('top: { rule: concat,', 'top: { rule: concat, separator: "+",'));
    const summary = await builderFor().build({ patterns: ['//lvl:top'] });
    expect(executed(summary)).toEqual(['//lvl:top']);
    const top = summary.targets.find((t) => t.label === '//lvl:top');
    expect(top?.reasons).toEqual(['attribute separator changed: "|" → "+"']);
  });

  it('re-runs exactly the targets of a rule whose version was bumped', async () => {
    ws = tempWorkspace(LEVEL);
    await builderFor().build({ patterns: ['//lvl:top'] });
    const summary = await builderFor([concatRule(), { ...dataRule(), version: 99 }, includeRule()]).build({ patterns: ['//lvl:top'] });
    expect(executed(summary)).toEqual(['//lvl:stats']);
    expect(summary.targets.find((t) => t.label === '//lvl:stats')?.reasons?.[0]).toBe(`rule changed: data@${dataRule().version} → data@99`);
  });

  it('tracks discovered inputs: editing or creating an included file re-runs the includer only', async () => {
    ws = tempWorkspace({
      'pkgs/sh/assets.yaml': 'targets:\n  lit: { rule: include, srcs: [lit.frag] }\n  flat: { rule: include, srcs: [flat.frag] }\n',
      'pkgs/sh/lit.frag': 'main\n#include common.glsl\n#include later.glsl\n',
      'pkgs/sh/flat.frag': 'flat\n',
      'pkgs/sh/common.glsl': 'v1',
    });
    await builderFor().build({ patterns: ['//sh:all'] });
    ws.write('pkgs/sh/common.glsl', 'v2');
    let summary = await builderFor().build({ patterns: ['//sh:all'] });
    expect(executed(summary)).toEqual(['//sh:lit']);
    expect(summary.targets.find((t) => t.label === '//sh:lit')?.reasons).toEqual(['discovered input changed: pkgs/sh/common.glsl']);
    ws.write('pkgs/sh/later.glsl', 'late');
    summary = await builderFor().build({ patterns: ['//sh:all'] });
    expect(executed(summary)).toEqual(['//sh:lit']);
    expect(ws.read('kiln-out/desktop/sh/lit.out').toString()).toBe('main\nv2\nlate\n');
  });

  it('finds results in the action cache when the local build state is lost', async () => {
    ws = tempWorkspace(LEVEL);
    await builderFor().build({ patterns: ['//lvl:top'] });
    rmSync(join(ws.root, '.kiln/state'), { recursive: true });
    const summary = await builderFor().build({ patterns: ['//lvl:top'] });
    expect(summary.executed).toBe(0);
    expect(summary.cached).toBe(5);
  });

  it('never caches a crashed action and retries it on the next build', async () => {
    ws = tempWorkspace(LEVEL);
    ws.write('pkgs/lvl/b.txt', 'crash');
    const countAc = () => readdirSync(join(ws.root, '.kiln/ac'), { recursive: true }).filter((f) => String(f).length > 10).length;
    const first = await builderFor().build({ patterns: ['//lvl:top'], keepGoing: true });
    expect(first.failed).toBe(1);
    expect(errorOf(first.targets.find((t) => t.label === '//lvl:b'))).toMatch(/pkgs\/lvl\/b\.txt: \/\/lvl:b: rule "concat" failed: boom/);
    expect(codesOf(first.targets.find((t) => t.label === '//lvl:b'))).toEqual(['rule-crashed']);
    expect(codesOf(first.targets.find((t) => t.label === '//lvl:top'))).toEqual(['dependency-failed']);
    expect(first.targets.find((t) => t.label === '//lvl:top')?.status).toBe('skipped');
    const entries = countAc();
    const again = await builderFor().build({ patterns: ['//lvl:top'], keepGoing: true });
    expect(executed(again)).toEqual([]);
    expect(again.failed).toBe(1);
    expect(countAc()).toBe(entries);
    ws.write('pkgs/lvl/b.txt', 'B');
    const fixed = await builderFor().build({ patterns: ['//lvl:top'] });
    expect(executed(fixed)).toEqual(['//lvl:b', '//lvl:top']);
  });

  it('builds unrelated targets with keepGoing and reports a RuleError at file:line:column', async () => {
    ws = tempWorkspace(LEVEL);
    ws.write('pkgs/lvl/a.txt', 'bad');
    const summary = await builderFor().build({ patterns: ['//lvl:all'], keepGoing: true });
    expect(errorOf(summary.targets.find((t) => t.label === '//lvl:a'))).toBe('pkgs/lvl/a.txt:1:1: //lvl:a: this source is bad');
    expect(summary.targets.find((t) => t.label === '//lvl:a')?.diagnostics).toEqual([{ code: 'rule-error', severity: 'error', message: 'this source is bad', label: '//lvl:a', location: { file: 'pkgs/lvl/a.txt', line: 1, column: 1 } }]);
    expect(executed(summary)).toEqual(['//lvl:b', '//lvl:stats']);
    expect(summary.skipped).toBe(2);
  });

  it('runs up to --jobs actions at once', async () => {
    const files: Record<string, string> = { 'pkgs/p/assets.yaml': `targets:\n${[1, 2, 3, 4].map((i) => `  t${i}: { rule: slow, srcs: [f${i}.txt] }`).join('\n')}\n` };
    for (const i of [1, 2, 3, 4]) files[`pkgs/p/f${i}.txt`] = `${i}`;
    ws = tempWorkspace(files);
    const one = { now: 0, max: 0 };
    await builderFor([slowRule(one)], 1).build({ patterns: ['//p:all'] });
    expect(one.max).toBe(1);
    rmSync(join(ws.root, '.kiln'), { recursive: true });
    const two = { now: 0, max: 0 };
    await builderFor([slowRule(two)], 2).build({ patterns: ['//p:all'] });
    expect(two.max).toBe(2);
  });

  it('fails a target whose source is missing, naming the YAML position', async () => {
    ws = tempWorkspace(LEVEL);
    ws.remove('pkgs/lvl/mid.txt');
    const summary = await builderFor().build({ patterns: ['//lvl:top'], keepGoing: true });
    expect(codesOf(summary.targets.find((t) => t.label === '//lvl:mid'))).toEqual(['source-missing']);
    expect(errorOf(summary.targets.find((t) => t.label === '//lvl:mid'))).toBe('pkgs/lvl/assets.yaml:5:31: //lvl:mid: source file not found: pkgs/lvl/mid.txt');
  });

  it('names a rule that is not deterministic and caches none of its outputs (--check-determinism)', async () => {
    ws = tempWorkspace({ ...LEVEL, 'pkgs/f/assets.yaml': 'targets:\n  noise: { rule: flaky, srcs: [x.txt] }\n', 'pkgs/f/x.txt': 'x' });
    const rules = [concatRule(), dataRule(), includeRule(), flakyRule()];
    const summary = await builderFor(rules).build({ patterns: ['//f:noise', '//lvl:top'], checkDeterminism: true, keepGoing: true });
    const noise = summary.targets.find((t) => t.label === '//f:noise');
    expect(noise?.status).toBe('failed');
    expect(codesOf(noise)).toEqual(['not-deterministic']);
    expect(errorOf(noise)).toMatch(/pkgs\/f\/x\.txt: \/\/f:noise: rule "flaky" is not deterministic: output noise\.bin differs/);
    expect(summary.executed).toBe(5);
    const cas = readdirSync(join(ws.root, '.kiln/cas'), { recursive: true }).map(String);
    expect(cas.some((f) => f.endsWith('-5'))).toBe(false);
    const recheck = await builderFor(rules).build({ patterns: ['//lvl:top'], checkDeterminism: true });
    expect(recheck.cached).toBe(5);
    expect(recheck.failed).toBe(0);
  });

  it('removes files a target no longer produces from kiln-out, across platforms', async () => {
    ws = tempWorkspace({ 'pkgs/p/assets.yaml': 'targets:\n  many: { rule: concat, srcs: [a.txt] }\n', 'pkgs/p/a.txt': 'a' });
    await builderFor().build({ patterns: ['//p:many'] });
    expect(ws.read('kiln-out/desktop/p/many.txt').toString()).toBe('a');
    ws.write('pkgs/p/assets.yaml', 'targets:\n  many: { rule: files, srcs: [a.txt], out_dir: copies }\n');
    await builderFor([concatRule(), filesRule()]).build({ patterns: ['//p:many'] });
    expect(() => ws.read('kiln-out/desktop/p/many.txt')).toThrow();
    expect(ws.read('kiln-out/desktop/p/copies/a.txt').toString()).toBe('a');
  });

  it('reports the same size figures for every target, also when validating', async () => {
    ws = tempWorkspace(LEVEL);
    const summary = await builderFor().build({ patterns: ['//lvl:stats'] });
    expect(summary.targets[0]?.size).toEqual({ sourceBytes: 21, outputBytes: 18, uncompressedBytes: 18, estimatedLoadMs: 0 });
    const validated = await builderFor().build({ patterns: ['//lvl:stats'], validateOnly: true });
    expect(validated.targets[0]?.status).toBe('executed');
    expect(validated.targets[0]?.size?.outputBytes).toBe(18);
  });

  it('sees a source edited after the build read it (same size, an old mtime) in the next build', async () => {
    ws = tempWorkspace({
      'pkgs/p/assets.yaml': 'targets:\n  a: { rule: concat, srcs: [a.txt] }\n  b: { rule: edit_other, srcs: [b.txt], deps: [":a"] }\n',
      'pkgs/p/a.txt': 'A1',
      'pkgs/p/b.txt': 'B',
    });
    // Runs after :a was cooked and rewrites a.txt (same size, an old mtime), like an editor
    // saving in the middle of a build.
    const editOther = defineRule<object>({
      name: 'edit_other',
      version: 1,
      type: 'files',
      description: 'test: edits a source of another target',
      attributes: s.object<object>({}),
      defaults: {},
      async cook(ctx) {
        writeFileSync(join(ws.root, 'pkgs/p/a.txt'), 'A2');
        const past = new Date(Date.now() - 5000);
        utimesSync(join(ws.root, 'pkgs/p/a.txt'), past, past);
        await ctx.output(`${ctx.name}.txt`, new TextEncoder().encode('b'));
      },
    });
    const summary = await builderFor([concatRule(), editOther]).build({ patterns: ['//p:all'] });
    expect(summary.failed).toBe(0);
    expect(ws.read('kiln-out/desktop/p/a.txt').toString()).toBe('A1');
    ws.write('pkgs/p/assets.yaml', 'targets:\n  a: { rule: concat, srcs: [a.txt] }\n');
    const next = await builderFor([concatRule(), editOther]).build({ patterns: ['//p:all'] });
    expect(executed(next)).toEqual(['//p:a']);
    expect(ws.read('kiln-out/desktop/p/a.txt').toString()).toBe('A2');
  });
});
