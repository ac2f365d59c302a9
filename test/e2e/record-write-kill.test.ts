/**
 * `kill -9` while the build record is written (the process kills itself between writing the
 * temp file and renaming it, via KILN_FAULT): the next `kiln build` is correct — it sees every
 * edit, before and after the crash, and gives a clean build's outputs — and the one after it is
 * answered from the record.
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

const N = 30;

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

/** New bytes with a distinct, settled mtime (a second after the old one, well in the past). */
function edit(path: string, content: string): void {
  const abs = join(ws.root, path);
  const before = statSync(abs).mtimeMs;
  writeFileSync(abs, content);
  utimesSync(abs, new Date(before + 1000), new Date(before + 1000));
}

const KILL = { KILN_FAULT: 'kill-during-record-write' };

describe('kill -9 during the build record write', () => {
  it('on the first build: the next build is correct, the one after is answered from the record', () => {
    ws = tempWorkspace(files());
    expect(kiln(ws.root, ['build', '//lvl:all'], KILL).code).toBe(-1);
    const next = kiln(ws.root, ['build', '//lvl:all']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.summary?.failed).toBe(0);
    const after = kiln(ws.root, ['build', '//lvl:all']);
    expect(after.summary?.executed).toBe(0);
    expect(after.summary?.cached).toBe(N);
    expect(after.summary?.filesHashed).toBe(0);
  });

  it('after edits: the next build sees every edit and equals a clean build', () => {
    ws = tempWorkspace(files());
    expect(kiln(ws.root, ['build', '//lvl:all']).code).toBe(0);
    for (let i = 0; i < N; i += 7) edit(`pkgs/lvl/s${i}.json`, JSON.stringify({ i, edited: true }));
    expect(kiln(ws.root, ['build', '//lvl:all'], KILL).code).toBe(-1);
    // Edited again after the crash: the old record, still in place, must not hide this.
    edit('pkgs/lvl/s1.json', JSON.stringify({ i: 1, edited: 'after the crash' }));
    const next = kiln(ws.root, ['build', '//lvl:all']);
    expect(next.code, next.stderr).toBe(0);
    expect(executedLabels(next)).toContain('//lvl:t1');
    clean = mkdtempSync(join(tmpdir(), 'kiln-record-kill-clean-'));
    cpSync(ws.root, clean, { recursive: true, filter: (src) => !src.includes('.kiln') && !src.includes('kiln-out') });
    expect(kiln(clean, ['build', '//lvl:all']).code).toBe(0);
    expect(outputs(ws.root)).toEqual(outputs(clean));
    const after = kiln(ws.root, ['build', '//lvl:all']);
    expect(after.summary?.executed).toBe(0);
    expect(after.summary?.filesHashed).toBe(0);
  });
});
