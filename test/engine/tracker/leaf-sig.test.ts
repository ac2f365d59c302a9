import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSig, outHolds, sigHolds } from '../../../src/engine/tracker/leaf-sig.js';
import { statLeaf } from '../../../src/engine/tracker/leaf-stat.js';
import { tempWorkspace, type TempWorkspace } from '../../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const holds = (sig: string, abs: string, folder: boolean): boolean => sigHolds(`F${sig}\tx`, 1, 1 + sig.length, abs, folder);

describe('leaf stat', () => {
  it('gives what fs.statSync gives, for a file, a folder, nothing there and a file on the way', () => {
    ws = tempWorkspace({ 'd/f.bin': 'x'.repeat(300) });
    const file = join(ws.root, 'd/f.bin');
    // A fraction of a millisecond in the mtime, as real clocks give.
    utimesSync(file, 1_700_000_000.123456, 1_700_000_000.654321);
    for (const [path, kind] of [[file, 'file'], [join(ws.root, 'd'), 'folder']] as const) {
      const expected = statSync(path);
      expect({ ...statLeaf(path)! }).toEqual({ kind, size: expected.size, mtimeMs: expected.mtimeMs, ino: expected.ino });
    }
    expect(statLeaf(join(ws.root, 'missing'))).toBeUndefined();
    // ENOTDIR (a folder on the way became a file) is "nothing there", not an error.
    expect(statLeaf(join(file, 'below'))).toBeUndefined();
    expect(fileSig(join(file, 'below'), false)).toBe('absent');
    // A NUL never reaches the system call unchecked.
    expect(() => statLeaf(`${file}\0x`)).toThrow();
  });
});

describe('leaf signatures compared in place', () => {
  it('hold exactly when fileSig would give the same text', () => {
    ws = tempWorkspace({ 'a.txt': 'abc', 'dir/b.txt': 'b' });
    const file = join(ws.root, 'a.txt');
    const dir = join(ws.root, 'dir');
    utimesSync(file, 1_700_000_000.5, 1_700_000_000.987654);
    const sig = fileSig(file, false);
    const dirSig = fileSig(dir, true);
    expect(holds(sig, file, false)).toBe(true);
    expect(holds(dirSig, dir, true)).toBe(true);
    const [size, mtime, ino] = sig.split(':');
    for (const wrong of [`${Number(size) + 1}:${mtime}:${ino}`, `${size}:${Number(mtime) + 0.001}:${ino}`, `${size}:${mtime}:${Number(ino) + 1}`, 'racy', 'absent', `${size}:${mtime}`, `${size}::${ino}`, `:${mtime}:${ino}`, `d:${mtime}:${ino}`, '']) {
      expect(holds(wrong, file, false), wrong).toBe(false);
    }
    expect(holds(sig, dir, false)).toBe(false);
    expect(holds(dirSig, file, true)).toBe(false);
    expect(holds('absent', join(ws.root, 'gone'), false)).toBe(true);
    expect(holds('d:absent', join(ws.root, 'gone'), true)).toBe(true);
    expect(holds('absent', join(ws.root, 'gone'), true)).toBe(false);
    expect(holds('d:racy', dir, true)).toBe(false);
    // Only its own range of the text counts.
    expect(sigHolds(`F${sig}1\tx`, 1, 1 + sig.length + 1, file, false)).toBe(false);
    expect(sigHolds(`F${sig}\tx`, 1, sig.length, file, false)).toBe(false);
  });

  it('a kiln-out file holds while its size and mtime are as written, and only as a file', () => {
    ws = tempWorkspace({ 'out/x.bin': '12345' });
    const abs = join(ws.root, 'out/x.bin');
    const stat = statSync(abs);
    const text = `O${stat.size}:${stat.mtimeMs}\tx.bin`;
    const to = text.indexOf('\t');
    expect(outHolds(text, 1, to, abs)).toBe(true);
    writeFileSync(abs, '123456');
    expect(outHolds(text, 1, to, abs)).toBe(false);
    mkdirSync(join(ws.root, 'out/sub'));
    const sub = statSync(join(ws.root, 'out/sub'));
    const dirText = `O${sub.size}:${sub.mtimeMs}\tsub`;
    expect(outHolds(dirText, 1, dirText.indexOf('\t'), join(ws.root, 'out/sub'))).toBe(false);
  });
});
