/**
 * `kill -9` while kiln persists what a build learnt, at each of its two write points (the process
 * kills itself there, via KILN_FAULT): halfway through the request graph's LMDB transaction, and
 * between writing the build record's temp file and renaming it. Either way the next `kiln build`
 * is correct — it sees every edit, before and after the crash, and gives a clean build's outputs —
 * and the one after it does nothing.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executedLabels, kiln } from '../support/run-kiln.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
let clean: string | undefined;
afterEach(() => {
  ws?.cleanup();
  if (clean) rmSync(clean, { recursive: true, force: true });
});

/** A chain of `n` data targets, each depending on the one before. */
function chain(n: number): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = ['targets:'];
  for (let i = 0; i < n; i++) {
    result[`pkgs/lvl/s${i}.json`] = JSON.stringify({ i });
    lines.push(`  t${i}: { rule: data, srcs: [s${i}.json]${i > 0 ? `, deps: [":t${i - 1}"]` : ''} }`);
  }
  result['pkgs/lvl/assets.yaml'] = `${lines.join('\n')}\n`;
  return result;
}

function outputs(root: string): Record<string, string> {
  const dir = join(root, 'kiln-out/desktop/lvl');
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

/** New bytes with a distinct, settled mtime (a second after the old one, well in the past). */
function edit(path: string, content: string): void {
  const abs = join(ws.root, path);
  const before = statSync(abs).mtimeMs;
  writeFileSync(abs, content);
  utimesSync(abs, new Date(before + 1000), new Date(before + 1000));
}

// The request graph's transaction is killed halfway, so it needs enough nodes to have a middle.
describe.each([
  { write: 'the request graph write', fault: 'kill-during-state-write', targets: 200, editEvery: 3 },
  { write: 'the build record write', fault: 'kill-during-record-write', targets: 30, editEvery: 7 },
])('kill -9 during $write', ({ fault, targets, editEvery }) => {
  const KILL = { KILN_FAULT: fault };

  it('on the first build: the next build is correct and complete, the one after does nothing', () => {
    ws = tempWorkspace(chain(targets));
    expect(kiln(ws.root, ['build', '//lvl:all'], KILL).code).toBe(-1);
    const next = kiln(ws.root, ['build', '//lvl:all']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.summary?.failed).toBe(0);
    const after = kiln(ws.root, ['build', '//lvl:all']);
    expect(after.summary?.executed).toBe(0);
    expect(after.summary?.cached).toBe(targets);
    expect(after.summary?.filesHashed).toBe(0);
  });

  it('after edits: the next build sees every edit and equals a clean build', () => {
    ws = tempWorkspace(chain(targets));
    expect(kiln(ws.root, ['build', '//lvl:all']).code).toBe(0);
    for (let i = 0; i < targets; i += editEvery) edit(`pkgs/lvl/s${i}.json`, JSON.stringify({ i, edited: true }));
    expect(kiln(ws.root, ['build', '//lvl:all'], KILL).code).toBe(-1);
    // Edited again after the crash: nothing written before the kill may hide this.
    edit('pkgs/lvl/s1.json', JSON.stringify({ i: 1, edited: 'after the crash' }));
    const next = kiln(ws.root, ['build', '//lvl:all']);
    expect(next.code, next.stderr).toBe(0);
    expect(executedLabels(next)).toContain('//lvl:t1');
    clean = mkdtempSync(join(tmpdir(), 'kiln-kill-clean-'));
    cpSync(ws.root, clean, { recursive: true, filter: (src) => !src.includes('.kiln') && !src.includes('kiln-out') });
    expect(kiln(clean, ['build', '//lvl:all']).code).toBe(0);
    expect(outputs(ws.root)).toEqual(outputs(clean));
    const after = kiln(ws.root, ['build', '//lvl:all']);
    expect(after.summary?.executed).toBe(0);
    expect(after.summary?.filesHashed).toBe(0);
  });
});
