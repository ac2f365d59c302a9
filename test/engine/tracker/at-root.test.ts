import { mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atRoot } from '../../../src/engine/tracker/at-root.js';
import { fileSig } from '../../../src/engine/tracker/leaf-sig.js';
import { encodeLeaves, scanLeaves } from '../../../src/engine/tracker/record-leaves.js';

describe('scanning leaves from the root', () => {
  const dirs: string[] = [];
  const temp = (): string => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kiln-at-root-')));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('hands the scan paths relative to the root and restores the working folder, also when it throws', () => {
    const root = temp();
    const before = process.cwd();
    expect(atRoot(root, (prefix) => [prefix, process.cwd()])).toEqual(['', root]);
    expect(process.cwd()).toBe(before);
    expect(() => atRoot(root, () => { throw new Error('scan failed'); })).toThrow('scan failed');
    expect(process.cwd()).toBe(before);
    // A root that is gone: absolute paths, and the scan still runs.
    expect(atRoot(join(root, 'missing'), (prefix) => prefix)).toBe(`${join(root, 'missing')}/`);
  });

  it('finds changed sources, folders and kiln-out files, with kiln-out inside or outside the root', () => {
    const root = temp();
    const outside = temp();
    const past = new Date(Date.now() - 60_000);
    for (const outDir of [join(root, 'kiln-out'), outside]) {
      mkdirSync(join(root, 'pkg'), { recursive: true });
      mkdirSync(outDir, { recursive: true });
      for (const [path, text] of [[join(root, 'assets.yaml'), 'workspace: {}\n'], [join(root, 'pkg/a.bin'), 'aaaa'], [join(root, 'pkg/b.bin'), 'bbbb'], [join(outDir, 'a.bin'), 'aaaa'], [join(outDir, 'b.bin'), 'bbbb']] as const) {
        writeFileSync(path, text);
        utimesSync(path, past, past);
      }
      const out = (name: string): [string, number, number] => {
        const sig = fileSig(join(outDir, name), false).split(':');
        return [name, Number(sig[0]), Number(sig[1])];
      };
      const table = () =>
        encodeLeaves(
          {
            global: [['', fileSig(root, true)], ['assets.yaml', fileSig(join(root, 'assets.yaml'), false)], ['pkg', fileSig(join(root, 'pkg'), true)]],
            tools: [],
            targets: [
              { files: [['pkg/a.bin', fileSig(join(root, 'pkg/a.bin'), false)]], outs: [out('a.bin')] },
              { files: [['pkg/b.bin', fileSig(join(root, 'pkg/b.bin'), false)]], outs: [out('b.bin')] },
            ],
          },
          [10, 20],
          new Set(),
        )!;
      const text = table();
      const clean = scanLeaves(text, root, outDir, 2, new Map())!;
      expect(clean.check).toEqual({ structural: false, inputs: new Set(), outs: new Set() });
      // Same size, new mtime: a source of target 0, a kiln-out file of target 1.
      writeFileSync(join(root, 'pkg/a.bin'), 'AAAA');
      writeFileSync(join(outDir, 'b.bin'), 'BBBB');
      expect(scanLeaves(text, root, outDir, 2, new Map())!.check).toEqual({ structural: false, inputs: new Set([0]), outs: new Set([1]) });
      // A new file in a recorded folder changes the folder: structural.
      writeFileSync(join(root, 'pkg/c.bin'), 'cccc');
      expect(scanLeaves(text, root, outDir, 2, new Map())!.check.structural).toBe(true);
      rmSync(join(root, 'pkg'), { recursive: true });
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
