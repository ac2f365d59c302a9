import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../../src/diagnostic/diagnostic.js';
import { digestOf } from '../../../src/hash/digest.js';
import { MemoryFiles } from '../../../src/engine/runner/memory-files.js';

const bytes = (text: string) => new TextEncoder().encode(text);

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DiagnosticError) return error.diagnostics[0]!.code;
    throw error;
  }
  return 'no error';
}

describe('MemoryFiles', () => {
  it('reads a source only with the digest the key was computed from, like the disk workspace', async () => {
    const files = new MemoryFiles([['p/a.txt', bytes('A')]]);
    expect(new TextDecoder().decode(await files.readSource('p/a.txt', digestOf(bytes('A'))))).toBe('A');
    expect(await codeOf(() => files.readSource('p/a.txt', digestOf(bytes('B'))))).toBe('source-changed');
    expect(await codeOf(() => files.readSource('p/gone.txt', digestOf(new Uint8Array())))).toBe('source-missing');
    files.set('p/a.txt', bytes('B'));
    expect(await codeOf(() => files.readSource('p/a.txt', digestOf(bytes('A'))))).toBe('source-changed');
  });

  it('refuses paths that leave the workspace and reports absent files as absent', async () => {
    const files = new MemoryFiles([['p/a.txt', bytes('A')]]);
    for (const path of ['../x', '/etc/passwd', 'p/../../x', 'p/\0a']) expect(await codeOf(() => files.readFile(path)), path).toBe('outside-workspace');
    expect((await files.readFile('p/./a.txt')).bytes).toEqual(bytes('A'));
    expect(await files.readFile('p/b.txt')).toEqual({ bytes: undefined });
  });
});
