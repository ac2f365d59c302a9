import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordView } from '../../../src/engine/tracker/build-record.js';
import { readSection, readSectionInBackground } from '../../../src/engine/tracker/record-read.js';

describe('a record section read in the background', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const viewOf = (basePath: string, reports: [number, number]): RecordView => ({ basePath, sections: { reports, materialized: [reports[1], reports[1]], detail: [reports[1], reports[1]] } }) as unknown as RecordView;

  it('gives the bytes readSection gives, also when the base is swept after it began', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-section-'));
    dirs.push(dir);
    const basePath = join(dir, 'k.1.base');
    const body = Buffer.alloc(3 << 20, 'r');
    body.write('first', 0);
    body.write('last', body.length - 4);
    writeFileSync(basePath, Buffer.concat([Buffer.from('header\n'), body, Buffer.from('tail')]));
    const view = viewOf(basePath, [7, 7 + body.length]);
    // Buffer.equals, not toEqual: a deep compare of 3 MB byte by byte takes vitest ~10 s.
    expect(readSection(view, 'reports')?.equals(body)).toBe(true);
    const pending = readSectionInBackground(view, 'reports');
    // A concurrent build's sweep: the open file stays readable.
    rmSync(basePath);
    expect((await pending)?.equals(body)).toBe(true);
    expect(await readSectionInBackground(view, 'reports')).toBeUndefined();
  });

  it('is undefined when the file is shorter than the section says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-section-'));
    dirs.push(dir);
    const basePath = join(dir, 'k.1.base');
    writeFileSync(basePath, 'header\nshort');
    expect(await readSectionInBackground(viewOf(basePath, [7, 100]), 'reports')).toBeUndefined();
  });
});
