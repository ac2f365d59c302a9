import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderOf, importsOf, tsFiles } from './support/import-walk.js';

const formatDir = join(import.meta.dirname, '../../src/format');

describe('format imports', () => {
  it('imports nothing of the cooker, no npm package and no node: module', async () => {
    const files = await tsFiles(formatDir);
    expect(files.length).toBeGreaterThan(8);
    const offending: string[] = [];
    let own = 0;
    for (const file of files) {
      for (const specifier of await importsOf(file)) {
        const where = `${relative(formatDir, file)} → ${specifier}`;
        if (!specifier.startsWith('.')) offending.push(where);
        else if (folderOf(file, specifier) !== 'format') offending.push(where);
        else own++;
      }
    }
    expect(offending).toEqual([]);
    expect(own).toBeGreaterThan(5);
  });
});
