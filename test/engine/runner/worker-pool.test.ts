import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Builder } from '../../../src/engine/builder.js';
import type { TargetReport } from '../../../src/engine/build-result.js';
import { createRegistry } from '../../../src/rule/registry.js';
import type { AnyRule } from '../../../src/rule/rule.js';
import { DiskActionCache } from '../../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../../src/store/disk-blob-store.js';
import { Workspace } from '../../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../../support/temp-workspace.js';
import { includeRule } from '../../support/test-rules.js';
// @ts-expect-error plain JavaScript, so that worker threads can import it too
import { discoverRule, echoRule, exitRule, hogRule, noiseRule, refuseRule, spinRule, threadARule, threadBRule } from './support/pool-rules.mjs';

let ws: TempWorkspace | undefined;
let builder: Builder | undefined;
afterEach(async () => {
  await builder?.close();
  builder = undefined;
  ws?.cleanup();
  ws = undefined;
});

const RULES = (): AnyRule[] => [echoRule(), discoverRule(), refuseRule(), exitRule(), spinRule(), hogRule(), noiseRule(), includeRule(), threadARule(), threadBRule()];

function open(root: string, options: { timeoutMs?: number; workers?: number } = {}): Builder {
  const workspace = Workspace.at(root, createRegistry(RULES()));
  const cacheDir = workspace.config.cacheDir;
  builder = new Builder({
    workspace,
    jobs: 2,
    workers: options.workers ?? 2,
    actionTimeoutMs: options.timeoutMs ?? 0,
    workerHeapMb: 64,
    cache: { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) },
  });
  return builder;
}

const report = (summary: { targets: TargetReport[] }, label: string) => summary.targets.find((t) => t.label === label)!;

describe('worker pool', () => {
  it('cooks rules that name their module on worker threads, reading dependency outputs through the main thread', async () => {
    ws = tempWorkspace({
      'pkgs/p/assets.yaml': 'targets:\n  a: { rule: echo, srcs: [a.txt] }\n  b: { rule: echo, srcs: [b.txt], deps: [":a"] }\n  inc: { rule: include, srcs: [i.txt] }\n',
      'pkgs/p/a.txt': 'A',
      'pkgs/p/b.txt': 'B',
      'pkgs/p/i.txt': 'x',
    });
    const summary = await open(ws.root).build({ patterns: ['//p:all'] });
    expect(summary.failed).toBe(0);
    expect(report(summary, '//p:b').ranIn).toBe('worker');
    expect(report(summary, '//p:b').stats.main_thread).toBe(false);
    // A test rule defined inline has no module a worker could import: it cooks in-process.
    expect(report(summary, '//p:inc').ranIn).toBe('in-process');
    expect(ws.read('kiln-out/desktop/p/b.txt').toString()).toBe('A+B');
    const again = await open(ws.root).build({ patterns: ['//p:all'] });
    expect(again.executed).toBe(0);
  });

  it('fails only the target whose rule throws, exits its worker or runs out of memory; the pool recovers', async () => {
    const files: Record<string, string> = {
      'pkgs/p/assets.yaml': `targets:
  refused: { rule: refuse, srcs: [x.txt] }
  exits: { rule: exit, srcs: [x.txt] }
  hogs: { rule: hog, srcs: [x.txt] }
  after: { rule: echo, srcs: [x.txt], deps: [":ok1"] }
${[1, 2, 3, 4].map((i) => `  ok${i}: { rule: echo, srcs: [o${i}.txt] }`).join('\n')}
`,
      'pkgs/p/x.txt': 'x',
    };
    for (const i of [1, 2, 3, 4]) files[`pkgs/p/o${i}.txt`] = `ok${i}`;
    ws = tempWorkspace(files);
    const summary = await open(ws.root).build({ patterns: ['//p:all'], keepGoing: true });
    const codes = (label: string) => report(summary, label).diagnostics.map((d) => d.code);
    expect(codes('//p:refused'), JSON.stringify(report(summary, '//p:refused'))).toEqual(['rule-error']);
    expect(report(summary, '//p:refused').diagnostics[0]).toMatchObject({ label: '//p:refused', location: { file: 'pkgs/p/x.txt', line: 3, column: 2 } });
    expect(codes('//p:exits')).toEqual(['worker-crashed']);
    expect(report(summary, '//p:exits').diagnostics[0]!.message).toMatch(/worker thread cooking it died \(worker exited with code: 7\)/);
    expect(codes('//p:hogs')).toEqual(['worker-crashed']);
    expect(report(summary, '//p:hogs').diagnostics[0]!.message).toMatch(/ran out of memory/);
    for (const label of ['//p:ok1', '//p:ok2', '//p:ok3', '//p:ok4', '//p:after']) expect(report(summary, label).status, label).toBe('executed');
    expect(summary.failed).toBe(3);
    // The same builder (same pool) keeps working after its workers died.
    ws.write('pkgs/p/o2.txt', 'changed');
    const next = await builder!.build({ patterns: ['//p:ok2', '//p:after'] });
    expect(next.failed).toBe(0);
    expect(report(next, '//p:ok2').ranIn).toBe('worker');
    expect(ws.read('kiln-out/desktop/p/ok2.txt').toString()).toBe('changed');
  }, 60_000);

  it('stops a cook that runs past the action timeout, fails only its target, and keeps the pool working', async () => {
    ws = tempWorkspace({
      'pkgs/p/assets.yaml': 'targets:\n  spins: { rule: spin, srcs: [x.txt] }\n  ok: { rule: echo, srcs: [x.txt] }\n',
      'pkgs/p/x.txt': 'x',
    });
    const summary = await open(ws.root, { timeoutMs: 1500 }).build({ patterns: ['//p:all'], keepGoing: true });
    expect(report(summary, '//p:spins').diagnostics.map((d) => d.code)).toEqual(['rule-timeout']);
    expect(report(summary, '//p:spins').diagnostics[0]!.message).toBe('rule "spin" did not finish within 1.5 s; its worker was stopped');
    expect(report(summary, '//p:ok').status).toBe('executed');
    ws.write('pkgs/p/x.txt', 'y');
    const next = await builder!.build({ patterns: ['//p:ok'] });
    expect(next.failed).toBe(0);
    expect(ws.read('kiln-out/desktop/p/ok.txt').toString()).toBe('y');
  }, 60_000);

  it('--check-determinism cooks twice on the pool and names the rule that differs', async () => {
    ws = tempWorkspace({ 'pkgs/p/assets.yaml': 'targets:\n  n: { rule: noise, srcs: [x.txt] }\n  e: { rule: echo, srcs: [x.txt] }\n', 'pkgs/p/x.txt': 'x' });
    const summary = await open(ws.root).build({ patterns: ['//p:all'], checkDeterminism: true, keepGoing: true });
    expect(report(summary, '//p:n').diagnostics.map((d) => d.code)).toEqual(['not-deterministic']);
    expect(report(summary, '//p:e').status).toBe('executed');
    expect(report(summary, '//p:e').ranIn).toBe('worker');
  });

  describe('reads stay inside the workspace, checked before reading (issue 11)', () => {
    for (const [rule, where] of [['discover', 'worker'], ['include', 'in-process']] as const) {
      it(`refuses a discovered symlink to a file outside the workspace on the first build (${where})`, async () => {
        const secret = join(tmpdir(), `kiln-secret-${process.pid}-${rule}.txt`);
        writeFileSync(secret, 'TOP-SECRET-PASSWORD');
        const source = rule === 'discover' ? 'secret.txt' : '#include secret.txt';
        ws = tempWorkspace({ 'pkgs/p/assets.yaml': `targets:\n  t: { rule: ${rule}, srcs: [t.txt] }\n`, 'pkgs/p/t.txt': source });
        symlinkSync(secret, join(ws.root, 'pkgs/p/secret.txt'));
        const summary = await open(ws.root).build({ patterns: ['//p:t'], keepGoing: true });
        const t = report(summary, '//p:t');
        expect(t.status).toBe('failed');
        expect(t.diagnostics).toMatchObject([{ code: 'outside-workspace', label: '//p:t', location: { file: 'pkgs/p/secret.txt' } }]);
        expect(t.diagnostics[0]!.message).toContain('outside the workspace');
        expect(existsSync(join(ws.root, 'kiln-out/desktop/p/t.txt')) || existsSync(join(ws.root, 'kiln-out/desktop/p/t.out'))).toBe(false);
        const cas = join(ws.root, '.kiln/cas');
        const blobs = existsSync(cas) ? readdirSync(cas, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];
        for (const blob of blobs) expect(readFileSync(join(blob.parentPath, blob.name), 'utf8')).not.toContain('TOP-SECRET');
      });
    }

    it('still reads a discovered file that is a symlink inside the workspace', async () => {
      ws = tempWorkspace({ 'pkgs/p/assets.yaml': 'targets:\n  t: { rule: discover, srcs: [t.txt] }\n', 'pkgs/p/t.txt': 'link.txt', 'pkgs/p/real.txt': 'real content' });
      symlinkSync(join(ws.root, 'pkgs/p/real.txt'), join(ws.root, 'pkgs/p/link.txt'));
      const summary = await open(ws.root).build({ patterns: ['//p:t'] });
      expect(summary.failed).toBe(0);
      expect(ws.read('kiln-out/desktop/p/t.txt').toString()).toBe('real content');
    });
  });

  it("sends a rule's cooks back to the worker thread that already cooked that rule", async () => {
    // Each thread loads a rule's codecs and warms its code on its own: with two rules and two
    // threads, each thread should end up with one rule, not both.
    const targets = ['a1', 'a2', 'a3', 'a4'].map((n) => `  ${n}: { rule: thread_a, srcs: [x.txt] }`).concat(['b1', 'b2', 'b3', 'b4'].map((n) => `  ${n}: { rule: thread_b, srcs: [x.txt] }`));
    ws = tempWorkspace({ 'pkgs/p/assets.yaml': `targets:\n${targets.join('\n')}\n`, 'pkgs/p/x.txt': 'x' });
    const summary = await open(ws.root).build({ patterns: ['//p:all'] });
    expect(summary.failed).toBe(0);
    // The pool never idles a thread while a cook waits, so the last cook of the rule that falls
    // behind may go to the other thread once that one has run out of its own (seen on a loaded CI
    // machine: a4 on b's thread). What affinity guarantees is the rest: without it, two
    // interleaved rules split about 2/2 over the threads.
    const cooks = JSON.stringify(summary.targets.map((t) => [t.label, t.stats.thread]));
    const mainThread = (prefix: string): { thread: unknown; count: number } => {
      const counts = new Map<unknown, number>();
      for (const t of summary.targets.filter((t) => t.label.startsWith(`//p:${prefix}`))) counts.set(t.stats.thread, (counts.get(t.stats.thread) ?? 0) + 1);
      const [thread, count] = [...counts].sort((x, y) => y[1] - x[1])[0]!;
      return { thread, count };
    };
    const a = mainThread('a');
    const b = mainThread('b');
    expect(a.count, cooks).toBeGreaterThanOrEqual(3);
    expect(b.count, cooks).toBeGreaterThanOrEqual(3);
    expect(a.thread, cooks).not.toBe(b.thread);
  });

  it('starts no pool thread for a build with nothing for the pool, and one thread for one cook', async () => {
    ws = tempWorkspace({ 'pkgs/p/assets.yaml': 'targets:\n  inc: { rule: include, srcs: [i.txt] }\n', 'pkgs/p/i.txt': 'x', 'pkgs/q/assets.yaml': 'targets:\n  a: { rule: echo, srcs: [a.txt] }\n', 'pkgs/q/a.txt': 'A' });
    const inline = await open(ws.root).build({ patterns: ['//p:inc'] });
    expect(inline.failed).toBe(0);
    expect(builder!.runner.poolThreads).toBe(0);
    await builder!.close();
    const one = await open(ws.root).build({ patterns: ['//q:a'] });
    expect(report(one, '//q:a').ranIn).toBe('worker');
    expect(builder!.runner.poolThreads).toBe(1);
  });

  it('runs every cook in-process with workers: 0', async () => {
    ws = tempWorkspace({ 'pkgs/p/assets.yaml': 'targets:\n  a: { rule: echo, srcs: [a.txt] }\n', 'pkgs/p/a.txt': 'A' });
    const summary = await open(ws.root, { workers: 0 }).build({ patterns: ['//p:a'] });
    expect(report(summary, '//p:a').ranIn).toBe('in-process');
    expect(report(summary, '//p:a').stats.main_thread).toBe(true);
  });
});
