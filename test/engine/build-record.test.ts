import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataRule } from '../../rules/data/index.js';
import { Builder, type BuildRequest } from '../../src/engine/builder.js';
import { createRegistry } from '../../src/rule/registry.js';
import type { AnyRule } from '../../src/rule/rule.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { concatRule } from '../support/test-rules.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const FILES = {
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
  'pkgs/lvl/stats.json': '{"hp": 3}',
  'pkgs/other/assets.yaml': `targets:
  x: { rule: concat, srcs: [x.txt] }
  y: { rule: concat, srcs: [y.txt], deps: [":x"] }
`,
  'pkgs/other/x.txt': 'X',
  'pkgs/other/y.txt': 'Y',
};

/** A new builder on the persistent cache: what a fresh `kiln build` process does. */
function fresh(rules: AnyRule[] = [concatRule(), dataRule()], platform?: string): Builder {
  const workspace = Workspace.at(ws.root, createRegistry(rules));
  const cacheDir = workspace.config.cacheDir;
  return new Builder({ workspace, jobs: 2, workers: 0, ...(platform ? { platform } : {}), cache: { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) } });
}

async function build(request: Partial<BuildRequest> = {}, builder = fresh()) {
  const summary = await builder.build({ patterns: ['//...'], ...request });
  return { summary, stats: { ...builder.trackerStats }, executed: summary.targets.filter((t) => t.status === 'executed').map((t) => t.label).sort() };
}

/** Folders made just now are too young for the record to vouch for: age them as time would. */
function ageFolders(): void {
  const past = new Date(Date.now() - 10_000);
  const walk = (dir: string) => {
    utimesSync(dir, past, past);
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name));
  };
  walk(join(ws.root, 'pkgs'));
  utimesSync(ws.root, past, past);
}

/** Rewrite a source with new bytes and an mtime a second later than its old one. */
function edit(path: string, content: string): void {
  const abs = join(ws.root, path);
  const before = statSync(abs).mtimeMs;
  writeFileSync(abs, content);
  const later = new Date(before + 1000);
  utimesSync(abs, later, later);
}

const recordsDir = () => join(ws.root, '.kiln/state/builds');

describe('build record', () => {
  it('answers a no-op from the record without loading a request node', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    expect((await build()).executed).toHaveLength(7);
    const noop = await build();
    expect(noop.executed).toEqual([]);
    expect(noop.summary.cached).toBe(7);
    expect(noop.stats).toEqual({ ran: 0, verified: 0, loaded: 0 });
    expect(noop.summary.materialized.length).toBe(7);
    // The graph is still there for callers that ask (analysed on first use).
    expect(noop.summary.graph.has('//lvl:top')).toBe(true);
  });

  it('a fresh build after one edit re-evaluates only that file\'s dependents', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    await build();
    await build();
    edit('pkgs/lvl/a.txt', 'A2');
    const full = await build({ record: false });
    expect(full.executed).toEqual(['//lvl:a', '//lvl:mid', '//lvl:top']);
    edit('pkgs/lvl/a.txt', 'A3');
    const partial = await build();
    expect(partial.executed).toEqual(['//lvl:a', '//lvl:mid', '//lvl:top']);
    expect(partial.summary.cached).toBe(4);
    expect(partial.summary.targets.map((t) => t.label).sort()).toEqual(full.summary.targets.map((t) => t.label).sort());
    // The other package is not even loaded: fewer nodes read than a build that verifies everything.
    expect(partial.stats.loaded).toBeLessThan(full.stats.loaded);
    expect(partial.stats.ran + partial.stats.verified).toBeLessThan(full.stats.ran + full.stats.verified);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/lvl/top.txt'), 'utf8')).toMatch(/^A3\|/);
    // And the record it leaves answers the next no-op.
    expect((await build()).stats.loaded).toBe(0);
  });

  it('a deleted kiln-out file is restored by the next build', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    await build();
    const out = join(ws.root, 'kiln-out/desktop/other/y.txt');
    const bytes = readFileSync(out);
    rmSync(out);
    const next = await build();
    expect(next.executed).toEqual([]);
    expect(readFileSync(out)).toEqual(bytes);
    expect((await build()).stats.loaded).toBe(0);
  });

  it('a touched file with the same bytes re-cooks nothing', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    await build();
    edit('pkgs/other/x.txt', 'X');
    const next = await build();
    expect(next.executed).toEqual([]);
    expect(next.summary.filesHashed).toBe(1);
    expect(next.summary.cached).toBe(7);
    // The new stat is recorded: the build after that is a pure no-op again.
    const after = await build();
    expect(after.stats.loaded).toBe(0);
    expect(after.summary.filesHashed).toBe(0);
  });

  it('another platform or other result-changing flags do not reuse the record', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    await build();
    const mobile = await build({}, fresh(undefined, 'mobile'));
    expect(mobile.summary.platform).toBe('mobile');
    expect(mobile.stats.loaded + mobile.stats.ran).toBeGreaterThan(0);
    expect(readFileSync(join(ws.root, 'kiln-out/mobile/other/y.txt'), 'utf8')).toBe('X|Y');
    const noOut = await build({ materialize: false });
    expect(noOut.summary.materialized).toEqual([]);
    expect(noOut.stats.loaded + noOut.stats.ran).toBeGreaterThan(0);
    const some = await build({ patterns: ['//other:y'] });
    expect(some.summary.targets.map((t) => t.label).sort()).toEqual(['//other:x', '//other:y']);
    // A rule version bump changes the key of every record: the bumped rule's targets re-cook.
    const bumped = await build({}, fresh([concatRule(2), dataRule()]));
    expect(bumped.executed).toHaveLength(6);
  });

  it('a corrupt or foreign record is ignored and the build is correct', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    await build();
    await build({ patterns: ['//other:y'] });
    const [first, second] = readdirSync(recordsDir()).filter((f) => f.endsWith('.json'));
    const bytes = readFileSync(join(ws.root, 'kiln-out/desktop/other/y.txt'));
    // Another request's record under this request's key, then garbage.
    writeFileSync(join(recordsDir(), first!), readFileSync(join(recordsDir(), second!)));
    writeFileSync(join(recordsDir(), second!), '{"format":"kiln-build-record","version":1,"targets":[{"deps":[99]}]}');
    for (const patterns of [['//...'], ['//other:y']]) {
      const next = await build({ patterns });
      expect(next.executed).toEqual([]);
      expect(next.stats.loaded).toBeGreaterThan(0);
    }
    rmSync(join(ws.root, 'kiln-out/desktop/other/y.txt'));
    writeFileSync(join(recordsDir(), first!), 'not json');
    const repaired = await build();
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/other/y.txt'))).toEqual(bytes);
    expect(repaired.summary.cached).toBe(7);
  });

  it('an assets.yaml edit takes the full path and the graph it gives', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    await build();
    edit('pkgs/other/assets.yaml', `targets:
  x: { rule: concat, srcs: [x.txt] }
  y: { rule: concat, srcs: [y.txt], deps: [":x"], separator: "+" }
  z: { rule: concat, srcs: [y.txt] }
`);
    const next = await build();
    expect(next.executed).toEqual(['//other:y', '//other:z']);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/other/y.txt'), 'utf8')).toBe('X+Y');
  });
});
