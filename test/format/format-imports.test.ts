import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
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

  it('is the package entry point kiln/format, and kiln/runtime re-exports it', async () => {
    const root = join(formatDir, '../..');
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(pkg.exports['./format']).toBe('./dist/src/format/index.js');
    const format = (await import(pathToFileURL(join(root, pkg.exports['./format']!)).href)) as Record<string, unknown>;
    const runtime = (await import(pathToFileURL(join(root, pkg.exports['./runtime']!)).href)) as Record<string, unknown>;
    for (const name of ['parseBundleIndex', 'parseCatalog', 'parseServerMessage', 'readAssetMeta', 'RELOAD_HANDLERS', 'INDEX_VERSION']) {
      expect(typeof format[name], name).not.toBe('undefined');
      expect(runtime[name], name).toBe(format[name]);
    }
  });
});
