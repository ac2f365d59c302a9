/**
 * `kill -9` in the middle of the request graph's write (the process kills itself halfway through
 * the LMDB write transaction, via KILN_FAULT): the next build is correct — it re-does whatever
 * the lost transaction would have recorded and gives a clean build's outputs — and the one after
 * it does nothing.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

const N = 200;

function files(): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = ['targets:'];
  for (let i = 0; i < N; i++) {
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

const KILL = { KILN_FAULT: 'kill-during-state-write' };

describe('kill -9 during the state write', () => {
  it('on the first build: the next build is correct and complete, the one after does nothing', () => {
    ws = tempWorkspace(files());
    const killed = kiln(ws.root, ['build', '//lvl:all'], KILL);
    expect(killed.code).toBe(-1);
    const next = kiln(ws.root, ['build', '//lvl:all']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.summary?.failed).toBe(0);
    const after = kiln(ws.root, ['build', '//lvl:all']);
    expect(after.summary?.executed).toBe(0);
    expect(after.summary?.filesHashed).toBe(0);
  });

  it('after edits: the next build sees every edit and equals a clean build', () => {
    ws = tempWorkspace(files());
    expect(kiln(ws.root, ['build', '//lvl:all']).code).toBe(0);
    for (let i = 0; i < N; i += 3) ws.write(`pkgs/lvl/s${i}.json`, JSON.stringify({ i, edited: true }));
    expect(kiln(ws.root, ['build', '//lvl:all'], KILL).code).toBe(-1);
    // Edited again after the crash: nothing recorded before the kill may hide this.
    ws.write('pkgs/lvl/s1.json', JSON.stringify({ i: 1, edited: 'after the crash' }));
    const next = kiln(ws.root, ['build', '//lvl:all']);
    expect(next.code, next.stderr).toBe(0);
    expect(executedLabels(next)).toContain('//lvl:t1');
    clean = mkdtempSync(join(tmpdir(), 'kiln-kill-clean-'));
    cpSync(ws.root, clean, { recursive: true, filter: (src) => !src.includes('.kiln') && !src.includes('kiln-out') });
    expect(kiln(clean, ['build', '//lvl:all']).code).toBe(0);
    expect(outputs(ws.root)).toEqual(outputs(clean));
    expect(kiln(ws.root, ['build', '//lvl:all']).summary?.executed).toBe(0);
  });
});
