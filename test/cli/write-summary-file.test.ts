import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSummaryFile } from '../../src/cli/write-summary-file.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

describe('writeSummaryFile', () => {
  it('leaves exactly the new bytes, over a longer file, a shorter one, or none', () => {
    ws = tempWorkspace({});
    const path = join(ws.root, 'summary.json');
    const pieces = ['{\n  "a": ', Buffer.from('[1, 2]'), '', '\n}\n'];
    const text = pieces.map(String).join('');
    writeSummaryFile(path, pieces);
    expect(readFileSync(path, 'utf8')).toBe(text);
    const inode = statSync(path).ino;
    writeFileSync(path, 'x'.repeat(10_000));
    writeSummaryFile(path, pieces);
    expect(readFileSync(path, 'utf8')).toBe(text);
    writeFileSync(path, '{}');
    writeSummaryFile(path, pieces);
    expect(readFileSync(path, 'utf8')).toBe(text);
    // Written in place: the same file, not a new one renamed over it.
    expect(statSync(path).ino).toBe(inode);
    writeSummaryFile(path, ['', '']);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('writes straight through to something that is not a regular file', () => {
    expect(() => writeSummaryFile('/dev/null', ['{}\n'])).not.toThrow();
  });
});
