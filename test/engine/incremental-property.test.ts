/**
 * Property: whatever a user edits, an incremental build gives what a clean build gives. Random
 * workspaces of `files`, `data`, `concat` and `include` targets with dependencies across
 * packages, then random edit sequences — content, touch, attribute, priority, added and removed
 * targets, package and root assets.yaml edits, discovered inputs edited, created and deleted, rule
 * version bumps, platform switches, breaking and fixing sources. After each step:
 *
 * - a fresh builder on the persistent cache (what a new `kiln build` process does: a new request
 *   tracker reading the LMDB store, finding changes by stat), and
 * - a long-lived watch-mode builder told only the changed paths (`builder.changed`)
 *
 * must report the same outputs, byte for byte, and the same failures as a clean build of a copy
 * of the tree with an empty cache.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { dataRule } from '../../rules/data/index.js';
import { filesRule } from '../../rules/files/index.js';
import type { BuildSummary } from '../../src/engine/build-result.js';
import { Builder } from '../../src/engine/builder.js';
import { createRegistry } from '../../src/rule/registry.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { concatRule, includeRule } from '../support/test-rules.js';

const PACKAGES = ['p0', 'p1', 'p2'];
const RULES = ['files', 'data', 'concat', 'include'] as const;
const PRIORITIES = ['high', 'normal', 'low'];
type RuleName = (typeof RULES)[number];

interface TargetModel {
  pkg: string;
  name: string;
  rule: RuleName;
  deps: string[];
  priority: string;
  separator?: string;
  mobileSeparator?: string;
}

interface Model {
  targets: TargetModel[];
  files: Map<string, string>;
  comment: Map<string, boolean>;
  rootSetting: boolean;
  concatVersion: number;
  platform: 'desktop' | 'mobile';
  serial: number;
}

type Edit =
  | { kind: 'content' | 'touch' | 'attr' | 'priority' | 'remove' | 'crash' | 'delete-src'; at: number; text: string }
  | { kind: 'add'; at: number; rule: number; dep: number; text: string }
  | { kind: 'package'; at: number }
  | { kind: 'include'; at: number; text: string; remove: boolean }
  | { kind: 'root' | 'bump' | 'platform' };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const srcOf = (t: TargetModel) => `pkgs/${t.pkg}/${t.name}.${t.rule === 'data' ? 'json' : 'txt'}`;
const labelOf = (t: TargetModel) => `//${t.pkg}:${t.name}`;

function sourceText(rule: RuleName, text: string, serial: number): string {
  if (rule === 'data') return JSON.stringify({ text, serial });
  if (rule === 'include') return `head ${text}\n#include inc${serial % 3}.txt\ntail`;
  return `${text} ${serial}`;
}

function rootYaml(model: Model): string {
  const rules = model.rootSetting ? 'rules:\n  concat: { tuned: true }\n' : '';
  return `workspace:\n  name: prop\n  packages: pkgs\n  cache: .kiln\ndefault_platform: desktop\n${rules}platforms:\n  desktop: {}\n  mobile: {}\n`;
}

function packageYaml(model: Model, pkg: string): string {
  const lines = model.comment.get(pkg) ? ['# edited', 'targets:'] : ['targets:'];
  for (const t of model.targets.filter((x) => x.pkg === pkg)) {
    const parts = [`rule: ${t.rule}`, `srcs: [${t.name}.${t.rule === 'data' ? 'json' : 'txt'}]`, `priority: ${t.priority}`];
    if (t.deps.length > 0) parts.push(`deps: [${t.deps.map((d) => `"${d}"`).join(', ')}]`);
    if (t.rule === 'concat' && t.separator !== undefined) parts.push(`separator: "${t.separator}"`);
    if (t.rule === 'concat' && t.mobileSeparator !== undefined) parts.push(`platforms: { mobile: { separator: "${t.mobileSeparator}" } }`);
    lines.push(`  ${t.name}: { ${parts.join(', ')} }`);
  }
  if (lines[lines.length - 1] === 'targets:') lines.push('  {}');
  return `${lines.join('\n')}\n`.replace('targets:\n  {}\n', 'targets: {}\n');
}

/** Every file of the model, as it should be on disk. */
function tree(model: Model): Map<string, string> {
  const files = new Map(model.files);
  files.set('assets.yaml', rootYaml(model));
  for (const pkg of PACKAGES) files.set(`pkgs/${pkg}/assets.yaml`, packageYaml(model, pkg));
  return files;
}

/** Write what differs from `before` into `root`; returns the workspace-relative paths touched. */
function sync(root: string, before: Map<string, string>, after: Map<string, string>, touched: string[]): string[] {
  const changed = new Set(touched);
  for (const [path, text] of after) if (before.get(path) !== text) changed.add(path);
  for (const path of before.keys()) if (!after.has(path)) changed.add(path);
  for (const path of changed) {
    const abs = join(root, path);
    const text = after.get(path);
    if (text === undefined) {
      rmSync(abs, { force: true });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    if (before.get(path) !== text) writeFileSync(abs, text);
    // Distinct, old-enough mtimes: each write is a new stat, none is racy.
    const when = new Date(Date.now() - 60_000 + (++clock % 50_000));
    utimesSync(abs, when, when);
  }
  // Folders whose entries changed (a file created or deleted, as a real editor would) get a
  // distinct, old-enough mtime too, so a fresh builder's build record sees the change by stat
  // (and is not just distrusting a folder modified "now"); content edits leave folders alone.
  const folders = new Set<string>();
  for (const path of changed) {
    if (before.has(path) === after.has(path)) continue;
    for (let dir = dirname(path); dir !== '.'; dir = dirname(dir)) folders.add(dir);
  }
  for (const dir of [...folders, '.']) {
    const when = new Date(Date.now() - 60_000 + (++clock % 50_000));
    try {
      utimesSync(join(root, dir), when, when);
    } catch {
      // removed with its last file
    }
  }
  return [...changed].sort();
}
let clock = 0;

function registry(model: Model) {
  return createRegistry([filesRule(), dataRule(), concatRule(model.concatVersion), includeRule()]);
}

function builderAt(root: string, model: Model): Builder {
  const workspace = Workspace.at(root, registry(model));
  const cacheDir = workspace.config.cacheDir;
  return new Builder({ workspace, platform: model.platform, jobs: 2, workers: 0, cache: { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) } });
}

/** What a build made: outputs per target, failures by label and code. */
function outcome(summary: BuildSummary): Record<string, string> {
  const result: Record<string, string> = {};
  for (const t of summary.targets) {
    if (t.status === 'failed' || t.status === 'skipped') result[t.label] = `${t.status}:${t.diagnostics.map((d) => d.code).join(',')}`;
    else result[t.label] = t.outputs.map((o) => `${o.name}=${o.digest}`).join(',');
  }
  return result;
}

function kilnOutFiles(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const out = join(root, 'kiln-out');
  if (!existsSync(out)) return files;
  for (const rel of readdirSync(out, { recursive: true }).map(String)) {
    const abs = join(out, rel);
    try {
      files.set(rel, readFileSync(abs));
    } catch {
      // a folder
    }
  }
  return files;
}

function apply(model: Model, edit: Edit): string[] {
  const touched: string[] = [];
  const n = model.targets.length;
  const target = 'at' in edit && n > 0 ? model.targets[edit.at % n] : undefined;
  model.serial++;
  switch (edit.kind) {
    case 'content':
      if (target) model.files.set(srcOf(target), sourceText(target.rule, edit.text, model.serial));
      break;
    case 'crash':
      if (target) model.files.set(srcOf(target), target.rule === 'data' ? '{"broken": ' : `crash ${edit.text}`);
      break;
    case 'delete-src':
      if (target) model.files.delete(srcOf(target));
      break;
    case 'touch':
      if (target && model.files.has(srcOf(target))) touched.push(srcOf(target));
      break;
    case 'attr':
      if (target) {
        if (target.rule === 'concat') target.separator = target.separator === undefined ? edit.text.slice(0, 3) : undefined;
        else target.priority = PRIORITIES[(PRIORITIES.indexOf(target.priority) + 2) % 3]!;
      }
      break;
    case 'priority':
      if (target) target.priority = PRIORITIES[(PRIORITIES.indexOf(target.priority) + 1) % 3]!;
      break;
    case 'remove':
      if (target) {
        model.targets.splice(edit.at % n, 1);
        model.files.delete(srcOf(target));
      }
      break;
    case 'add': {
      const rule = RULES[edit.rule % RULES.length]!;
      const pkg = PACKAGES[edit.at % PACKAGES.length]!;
      const added: TargetModel = { pkg, name: `t${model.serial}`, rule, deps: [], priority: 'normal' };
      if (n > 0 && edit.dep % 3 !== 0) added.deps.push(labelOf(model.targets[edit.dep % n]!));
      if (rule === 'concat' && edit.dep % 2 === 0) added.mobileSeparator = '+';
      model.targets.push(added);
      model.files.set(srcOf(added), sourceText(rule, edit.text, model.serial));
      break;
    }
    case 'package': {
      const pkg = PACKAGES[edit.at % PACKAGES.length]!;
      model.comment.set(pkg, !model.comment.get(pkg));
      break;
    }
    case 'include': {
      const path = `pkgs/p0/inc${edit.at % 3}.txt`;
      if (edit.remove) model.files.delete(path);
      else model.files.set(path, `included ${edit.text}`);
      // The include targets of every package read p0's includes only if they live in p0; give
      // the other packages the same file so each package's includers see edits too.
      for (const pkg of PACKAGES.slice(1)) {
        const other = `pkgs/${pkg}/inc${edit.at % 3}.txt`;
        if (edit.remove) model.files.delete(other);
        else model.files.set(other, `included ${edit.text} in ${pkg}`);
      }
      break;
    }
    case 'root':
      model.rootSetting = !model.rootSetting;
      break;
    case 'bump':
      model.concatVersion++;
      break;
    case 'platform':
      model.platform = model.platform === 'desktop' ? 'mobile' : 'desktop';
      break;
  }
  return touched;
}

const text = fc.stringMatching(/^[a-z]{1,6}$/);
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('content', 'touch', 'attr', 'priority', 'remove', 'crash', 'delete-src' as const), at: fc.nat(50), text }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(50), rule: fc.nat(10), dep: fc.nat(50), text }),
  fc.record({ kind: fc.constant('package' as const), at: fc.nat(5) }),
  fc.record({ kind: fc.constant('include' as const), at: fc.nat(5), text, remove: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('root', 'bump', 'platform' as const) }),
) as fc.Arbitrary<Edit>;

const initialArb = fc.array(fc.record({ rule: fc.nat(10), pkg: fc.nat(5), dep: fc.nat(50), text }), { minLength: 2, maxLength: 7 });

const recordPaths: (string | undefined)[] = [];
let previousOk = false;

describe('incremental builds equal clean builds', () => {
  it('after every random edit, for a fresh builder on the persistent cache and for a long-lived watch builder', async () => {
    await fc.assert(
      fc.asyncProperty(initialArb, fc.array(editArb, { minLength: 1, maxLength: 6 }), async (initial, edits) => {
        const model: Model = { targets: [], files: new Map(), comment: new Map(), rootSetting: false, concatVersion: 1, platform: 'desktop', serial: 0 };
        for (const seed of initial) apply(model, { kind: 'add', at: seed.pkg, rule: seed.rule, dep: seed.dep, text: seed.text });
        for (let k = 0; k < 3; k++) model.files.set(`pkgs/${PACKAGES[k]}/inc${k}.txt`, `base include ${k}`);
        const fresh = mkdtempSync(join(tmpdir(), 'kiln-prop-fresh-'));
        const watched = mkdtempSync(join(tmpdir(), 'kiln-prop-watch-'));
        dirs.push(fresh, watched);
        let current = tree(model);
        sync(fresh, new Map(), current, []);
        sync(watched, new Map(), current, []);
        let watch = builderAt(watched, model);
        const first = await builderAt(fresh, model).build({ patterns: ['//...'], keepGoing: true });
        previousOk = first.failed === 0 && first.skipped === 0;
        await watch.build({ patterns: ['//...'], keepGoing: true });
        for (const edit of edits) {
          const before = { platform: model.platform, version: model.concatVersion };
          const touched = apply(model, edit);
          const next = tree(model);
          sync(fresh, current, next, touched);
          const paths = sync(watched, current, next, touched);
          current = next;
          // A new kiln (rule version) or another platform means a new watch session.
          if (before.platform !== model.platform || before.version !== model.concatVersion) watch = builderAt(watched, model);
          else watch.changed(paths);

          const clean = mkdtempSync(join(tmpdir(), 'kiln-prop-clean-'));
          dirs.push(clean);
          cpSync(fresh, clean, { recursive: true, filter: (src) => !src.includes('.kiln') && !src.includes('kiln-out') });
          const expected = await builderAt(clean, model).build({ patterns: ['//...'], keepGoing: true });
          const freshBuilder = builderAt(fresh, model);
          const incremental = await freshBuilder.build({ patterns: ['//...'], keepGoing: true });
          // After a build that succeeded everywhere, a content edit or touch of a source changes
          // no assets.yaml and no folder: the fresh builder must take the build record's path.
          if (previousOk && (edit.kind === 'content' || edit.kind === 'touch')) expect(freshBuilder.recordPath, `record path after ${JSON.stringify(edit)}`).toBe('dirty-only');
          recordPaths.push(freshBuilder.recordPath);
          previousOk = incremental.failed === 0 && incremental.skipped === 0;
          const live = await watch.build({ patterns: ['//...'], keepGoing: true });
          const context = JSON.stringify({ edit, edits, initial });
          expect(outcome(incremental), `fresh builder after ${context}`).toEqual(outcome(expected));
          expect(outcome(live), `watch builder after ${context}`).toEqual(outcome(expected));
          const [freshOut, watchOut] = [kilnOutFiles(fresh), kilnOutFiles(watched)];
          for (const [rel, bytes] of kilnOutFiles(clean)) {
            expect(freshOut.get(rel), `fresh kiln-out/${rel} after ${context}`).toEqual(bytes);
            expect(watchOut.get(rel), `watch kiln-out/${rel} after ${context}`).toEqual(bytes);
          }
          rmSync(clean, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.KILN_PROPERTY_RUNS ?? 12), seed: process.env.KILN_PROPERTY_SEED ? Number(process.env.KILN_PROPERTY_SEED) : undefined, endOnFailure: true },
    );
    // Some edits took the full path (assets.yaml, folders, platform, rule version).
    expect(recordPaths).toContain('full');
  }, 240_000);
});
