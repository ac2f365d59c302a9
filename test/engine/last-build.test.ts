import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataRule } from '../../rules/data/index.js';
import { Builder } from '../../src/engine/builder.js';
import type { TargetReport } from '../../src/engine/build-result.js';
import { TalliedReports } from '../../src/engine/last-build.js';
import { createRegistry } from '../../src/rule/registry.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { concatRule } from '../support/test-rules.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

function builderFor(): Builder {
  const workspace = Workspace.at(ws.root, createRegistry([concatRule(), dataRule()]));
  const cacheDir = workspace.config.cacheDir;
  return new Builder({ workspace, jobs: 2, workers: 0, cache: { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) } });
}

/** 20 independent targets and one that depends on two of them. */
function level(): Record<string, string> {
  const files: Record<string, string> = {};
  const lines = ['targets:'];
  for (let i = 0; i < 20; i++) {
    files[`pkgs/lvl/t${i}.txt`] = `text ${i}`;
    lines.push(`  t${i}: { rule: concat, srcs: [t${i}.txt] }`);
  }
  lines.push('  top: { rule: concat, deps: [":t1", ":t2"] }');
  files['pkgs/lvl/assets.yaml'] = `${lines.join('\n')}\n`;
  return files;
}

const report = (label: string, status: TargetReport['status'], warnings = 0): TargetReport => ({
  label,
  rule: 'concat',
  status,
  durationMs: 0,
  outputs: [],
  diagnostics: Array.from({ length: warnings }, () => ({ code: 'rule-warning', severity: 'warning' as const, message: 'w', label })),
  stats: {},
});

describe('TalliedReports', () => {
  it('keeps counts, executed and unfinished targets as reports are set, replaced and removed', () => {
    const reports = new TalliedReports();
    reports.set('//a', report('//a', 'executed', 2));
    reports.set('//b', report('//b', 'failed'));
    reports.set('//c', report('//c', 'cached'));
    expect(reports.counts).toEqual({ executed: 1, cached: 1, failed: 1, skipped: 0, warnings: 2 });
    expect([...reports.executed]).toEqual(['//a']);
    expect([...reports.unfinished]).toEqual(['//b']);
    reports.set('//a', report('//a', 'cached'));
    reports.set('//b', report('//b', 'skipped'));
    reports.delete('//c');
    expect(reports.counts).toEqual({ executed: 0, cached: 1, failed: 0, skipped: 1, warnings: 0 });
    expect([...reports.executed]).toEqual([]);
    expect([...reports.unfinished]).toEqual(['//b']);
  });
});

describe('a watch build on the last build\'s graph', () => {
  it('hands back only the targets a save touched, counts everyone, and lists all targets when asked', async () => {
    ws = tempWorkspace(level());
    const builder = builderFor();
    const first = await builder.build({ patterns: ['//lvl:all'], record: false });
    expect(first.executed).toBe(21);
    expect(first.delta?.targets).toBeUndefined();

    writeFileSync(join(ws.root, 'pkgs/lvl/t1.txt'), 'text 1, edited');
    builder.changed(['pkgs/lvl/t1.txt']);
    const ready: string[] = [];
    const second = await builder.build({ patterns: ['//lvl:all'], record: false, onTargetReady: (target) => ready.push(target.label) });
    expect(second.delta?.since).toBe(first.delta?.seq);
    expect(second.delta?.targets?.map((t) => [t.label, t.status])).toEqual([
      ['//lvl:t1', 'executed'],
      ['//lvl:top', 'executed'],
    ]);
    // Each rebuilt target was announced once its kiln-out file was written, dependencies first.
    expect(ready).toEqual(['//lvl:t1', '//lvl:top']);
    expect(second.executed).toBe(2);
    expect(second.cached).toBe(19);
    expect(second.targets).toHaveLength(21);
    expect(second.targets.filter((t) => t.status === 'executed').map((t) => t.label)).toEqual(['//lvl:t1', '//lvl:top']);
    expect(second.materialized).toHaveLength(21);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/lvl/t1.txt'), 'utf8')).toContain('edited');

    // Nothing touched: nothing to look at, the same counts.
    const third = await builder.build({ patterns: ['//lvl:all'], record: false });
    expect(third.delta?.targets).toEqual([]);
    expect([third.executed, third.cached, third.failed]).toEqual([0, 21, 0]);
    await builder.close();
  });

  it('a summary read after the next build throws instead of describing the wrong build', async () => {
    ws = tempWorkspace(level());
    const builder = builderFor();
    await builder.build({ patterns: ['//lvl:all'], record: false });
    builder.changed(['pkgs/lvl/t3.txt']);
    const unread = await builder.build({ patterns: ['//lvl:all'], record: false });
    builder.changed(['pkgs/lvl/t4.txt']);
    await builder.build({ patterns: ['//lvl:all'], record: false });
    expect(() => unread.targets).toThrow(/before the builder's next build/);
    await builder.close();
  });

  it('a failure and its fix reach the delta, the counts and kiln-out', async () => {
    ws = tempWorkspace({ ...level(), 'pkgs/lvl/assets.yaml': `${level()['pkgs/lvl/assets.yaml']}  stats: { rule: data, srcs: [stats.json] }\n`, 'pkgs/lvl/stats.json': '{"hp": 1}' });
    const builder = builderFor();
    await builder.build({ patterns: ['//lvl:all'], keepGoing: true, record: false });
    writeFileSync(join(ws.root, 'pkgs/lvl/stats.json'), '{"hp": ');
    builder.changed(['pkgs/lvl/stats.json']);
    const broken = await builder.build({ patterns: ['//lvl:all'], keepGoing: true, record: false });
    expect(broken.delta?.targets?.map((t) => [t.label, t.status])).toEqual([['//lvl:stats', 'failed']]);
    expect([broken.failed, broken.cached]).toEqual([1, 21]);

    writeFileSync(join(ws.root, 'pkgs/lvl/stats.json'), '{"hp": 2}');
    builder.changed(['pkgs/lvl/stats.json']);
    const fixed = await builder.build({ patterns: ['//lvl:all'], keepGoing: true, record: false });
    expect(fixed.delta?.targets?.map((t) => [t.label, t.status])).toEqual([['//lvl:stats', 'executed']]);
    expect([fixed.failed, fixed.executed, fixed.cached]).toEqual([0, 1, 21]);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/lvl/stats.json'), 'utf8')).toBe('{"hp":2}');
    await builder.close();
  });

  it('with deferSave the request graph is written by saveState: a fresh builder then has nothing to do', async () => {
    ws = tempWorkspace(level());
    const builder = builderFor();
    await builder.build({ patterns: ['//lvl:all'], record: false });
    writeFileSync(join(ws.root, 'pkgs/lvl/t5.txt'), 'text 5, edited');
    builder.changed(['pkgs/lvl/t5.txt']);
    const watched = await builder.build({ patterns: ['//lvl:all'], record: false, deferSave: true });
    expect(watched.executed).toBe(1);
    expect(await builder.saveState()).toEqual([]);
    const fresh = builderFor();
    const after = await fresh.build({ patterns: ['//lvl:all'], record: false });
    expect([after.executed, after.cached]).toEqual([0, 21]);
    await Promise.all([builder.close(), fresh.close()]);
  });
});
