import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../../src/diagnostic/diagnostic.js';
import { digestOf } from '../../../src/hash/digest.js';
import { WorkspaceFiles } from '../../../src/engine/runner/workspace-files.js';
import { tempWorkspace, type TempWorkspace } from '../../support/temp-workspace.js';

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiagnosticError) return error.diagnostics[0]!.code;
    throw error;
  }
  return 'no error';
}

describe('WorkspaceFiles', () => {
  it('reads a source only with the digest the key was computed from', async () => {
    ws = tempWorkspace({ 'p/a.txt': 'A' });
    const files = new WorkspaceFiles(ws.root);
    expect(new TextDecoder().decode(await files.readSource('p/a.txt', digestOf(new TextEncoder().encode('A'))))).toBe('A');
    expect(await codeOf(files.readSource('p/a.txt', digestOf(new TextEncoder().encode('B'))))).toBe('source-changed');
    expect(await codeOf(files.readSource('p/gone.txt', digestOf(new Uint8Array())))).toBe('source-missing');
  });

  it('refuses paths and links that leave the workspace, before reading, and reports absent files as absent', async () => {
    ws = tempWorkspace({ 'p/a.txt': 'A' });
    const outside = mkdtempSync(join(tmpdir(), 'kiln-outside-'));
    try {
      writeFileSync(join(outside, 'secret.txt'), 'secret');
      symlinkSync(join(outside, 'secret.txt'), join(ws.root, 'p/link.txt'));
      symlinkSync(outside, join(ws.root, 'p/dir'));
      symlinkSync(join(outside, 'nothing'), join(ws.root, 'p/dangling'));
      const files = new WorkspaceFiles(ws.root);
      for (const path of ['p/link.txt', 'p/dir/secret.txt', '../x', 'p/../../x', '/etc/passwd']) expect(await codeOf(files.readFile(path)), path).toBe('outside-workspace');
      expect((await files.readFile('p/missing.txt')).bytes).toBeUndefined();
      expect((await files.readFile('p/dangling')).bytes).toBeUndefined();
      expect((await files.readFile('p')).bytes).toBeUndefined();
      // A folder the workspace allows (an installed tool, say) may be read through a link.
      expect(new TextDecoder().decode((await new WorkspaceFiles(ws.root, [outside]).readFile('p/link.txt')).bytes)).toBe('secret');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a FIFO instead of blocking on it', async () => {
    ws = tempWorkspace({ 'p/a.txt': 'A' });
    execFileSync('mkfifo', [join(ws.root, 'p/pipe')]);
    expect(await codeOf(new WorkspaceFiles(ws.root).readFile('p/pipe'))).toBe('source-unreadable');
  });
});
