import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderOf, importsOf, tsFiles } from '../format/support/import-walk.js';

const srcDir = join(import.meta.dirname, '../../src');

/** npm packages the runtime may use: browser-safe decoders only. */
const RUNTIME_PACKAGES = new Set(['fzstd']);
/** The two Node-only files, each kept out of the browser entry point (see browser-safety.test.ts). */
const NODE_ONLY = new Set(['file-source.ts', 'disk-cache/folder-store.ts']);

describe('runtime imports', () => {
  it('imports only ../format/ and its own files (plus fzstd; node: only in the two Node-only files)', async () => {
    const runtimeDir = join(srcDir, 'runtime');
    const files = await tsFiles(runtimeDir);
    expect(files.length).toBeGreaterThan(20);
    const offending: string[] = [];
    let formatImports = 0;
    for (const file of files) {
      const name = relative(runtimeDir, file).split('\\').join('/');
      for (const specifier of await importsOf(file)) {
        if (specifier.startsWith('.')) {
          const folder = folderOf(file, specifier);
          if (folder === 'format') formatImports++;
          if (folder !== 'runtime' && folder !== 'format') offending.push(`${name} → ${specifier}`);
        } else if (specifier.startsWith('node:')) {
          if (!NODE_ONLY.has(name)) offending.push(`${name} → ${specifier}`);
        } else if (!RUNTIME_PACKAGES.has(specifier)) {
          offending.push(`${name} → ${specifier}`);
        }
      }
    }
    expect(offending).toEqual([]);
    // the walk sees the runtime's real contract imports, so an empty list means something
    expect(formatImports).toBeGreaterThan(5);
  });
});
