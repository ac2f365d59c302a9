import { readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataRule } from '../../rules/data/index.js';
import { Builder, type BuildRequest } from '../../src/engine/builder.js';
import { createRegistry } from '../../src/rule/registry.js';
import type { AnyRule } from '../../src/rule/rule.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { fileSig, sigOfStat } from '../../src/engine/tracker/leaf-sig.js';
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
const baseFiles = () => readdirSync(recordsDir()).filter((f) => f.endsWith('.base')).sort();
const headFiles = () => readdirSync(recordsDir()).filter((f) => f.endsWith('.json')).sort();
/** The base the (only) head names. */
function currentBase(): string {
  const name = headFiles()[0]!;
  return `${name.slice(0, -'.json'.length)}.${(JSON.parse(readFileSync(join(recordsDir(), name), 'utf8')) as { base: string }).base}.base`;
}

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

  it('a change rewrites only the head: the base stays, the delta holds the rebuilt targets, the next no-op reads it', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    await build();
    const [base] = baseFiles();
    const before = statSync(join(recordsDir(), base!), { bigint: true });
    edit('pkgs/lvl/a.txt', 'A2');
    expect((await build()).executed).toEqual(['//lvl:a', '//lvl:mid', '//lvl:top']);
    expect(baseFiles()).toEqual([base]);
    const after = statSync(join(recordsDir(), base!), { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
    const head = JSON.parse(readFileSync(join(recordsDir(), headFiles()[0]!), 'utf8')) as { delta: [number, { label: string }][] };
    expect(head.delta.map(([, t]) => t.label).sort()).toEqual(['//lvl:a', '//lvl:mid', '//lvl:top']);
    // The next no-op is answered from base + delta, and sees a later edit of a delta target.
    const noop = await build();
    expect(noop.stats.loaded).toBe(0);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/lvl/top.txt'), 'utf8')).toMatch(/^A2\|/);
    edit('pkgs/lvl/a.txt', 'A3');
    expect((await build()).executed).toEqual(['//lvl:a', '//lvl:mid', '//lvl:top']);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/lvl/top.txt'), 'utf8')).toMatch(/^A3\|/);
  });

  it('a delta past its bound is compacted into a new base', async () => {
    const files: Record<string, string> = {};
    const lines = ['targets:'];
    for (let i = 0; i < 70; i++) {
      files[`pkgs/many/s${i}.txt`] = `S${i}`;
      lines.push(`  t${i}: { rule: concat, srcs: [s${i}.txt] }`);
    }
    files['pkgs/many/assets.yaml'] = `${lines.join('\n')}\n`;
    ws = tempWorkspace(files);
    ageFolders();
    await build();
    const [first] = baseFiles();
    for (let i = 0; i < 70; i++) edit(`pkgs/many/s${i}.txt`, `S${i}+`);
    expect((await build()).executed).toHaveLength(70);
    const head = JSON.parse(readFileSync(join(recordsDir(), headFiles()[0]!), 'utf8')) as { base: string; delta: unknown[] };
    expect(head.delta).toEqual([]);
    expect(`${headFiles()[0]!.slice(0, -5)}.${head.base}.base`).not.toBe(first);
    expect(baseFiles()).toContain(`${headFiles()[0]!.slice(0, -5)}.${head.base}.base`);
    const noop = await build();
    expect(noop.executed).toEqual([]);
    expect(noop.stats.loaded).toBe(0);
    expect(readFileSync(join(ws.root, 'kiln-out/desktop/many/t69.txt'), 'utf8')).toBe('S69+');
  });

  it('a base cut short, another key\'s, or with a leaf outside the workspace is no record', async () => {
    ws = tempWorkspace(FILES);
    ageFolders();
    await build();
    const [base] = baseFiles();
    const path = join(recordsDir(), base!);
    const bytes = readFileSync(path);
    const fresh7 = async () => {
      const next = await build();
      expect(next.executed).toEqual([]);
      expect(next.summary.cached).toBe(7);
      // Not answered by the record: the request nodes were read.
      expect(next.stats.loaded).toBeGreaterThan(0);
    };
    truncateSync(path, bytes.length - 10);
    await fresh7();
    // A leaf pointing out of the workspace, the header's lengths made to fit.
    const base2 = currentBase();
    expect(base2).not.toBe(base);
    const whole = readFileSync(join(recordsDir(), base2));
    const newline = whole.indexOf(10);
    const header = JSON.parse(whole.subarray(0, newline).toString()) as { leaves: number };
    const leaves = whole.subarray(newline + 1, newline + 1 + header.leaves).toString().replace('\tpkgs/lvl/a.txt', '\tpkgs/../../outside.txt');
    const grown = { ...header, leaves: Buffer.byteLength(leaves) };
    writeFileSync(join(recordsDir(), base2), Buffer.concat([Buffer.from(`${JSON.stringify(grown)}\n${leaves}`), whole.subarray(newline + 1 + header.leaves)]));
    await fresh7();
  });

  it('a file request\'s stat and a fresh stat give the same leaf signature', () => {
    ws = tempWorkspace({ 'f.txt': 'x' });
    const abs = join(ws.root, 'f.txt');
    const stat = statSync(abs, { bigint: true });
    expect(sigOfStat(Number(stat.size), stat.mtimeNs.toString(), Number(stat.ino))).toBe(fileSig(abs, false));
  });
});
