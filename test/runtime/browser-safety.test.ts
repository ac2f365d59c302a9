import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRuntimeForBrowser } from '../../sample-project/web/serve.mjs';

const runtimeDir = join(import.meta.dirname, '../../src/runtime');
/** Files allowed to import node: — each is kept out of the browser-safe entry point. */
const NODE_ONLY = new Set(['file-source.ts', 'disk-cache/folder-store.ts']);

/** Every .ts file under src/runtime, relative (subfolders such as disk-cache/ included). */
async function runtimeFiles(): Promise<string[]> {
  const entries = await readdir(runtimeDir, { recursive: true });
  return entries.filter((f) => f.endsWith('.ts')).map((f) => f.split('\\').join('/'));
}

describe('runtime browser safety', () => {
  it('has no node: imports outside the Node-only file source and folder store', async () => {
    const files = await runtimeFiles();
    expect(files).toContain('disk-cache/disk-cache.ts');
    for (const file of files) {
      const text = await readFile(join(runtimeDir, file), 'utf8');
      // value imports only: `import type` is erased at compile time
      const nodeImports = text.split('\n').filter((line) => /^import (?!type )/.test(line) && /['"]node:/.test(line));
      const dynamic = text.match(/import\(\s*['"]node:/g) ?? [];
      if (NODE_ONLY.has(file)) continue;
      expect([...nodeImports, ...dynamic], file).toEqual([]);
    }
  });

  it('keeps the folder store out of the browser entry point', async () => {
    const index = await readFile(join(runtimeDir, 'index.ts'), 'utf8');
    expect(index).not.toMatch(/from '\.\/disk-cache\/folder-store/);
    const pkg = JSON.parse(await readFile(join(runtimeDir, '../../package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(pkg.exports['./runtime/folder-store']).toBe('./dist/src/runtime/disk-cache/folder-store.js');
  });

  it('bundles for the browser platform with esbuild', async () => {
    const { code } = await buildRuntimeForBrowser();
    expect(code).toContain('openBundle');
    expect(code).toContain('indexedDbStore');
    expect(code).not.toMatch(/from\s*["']node:/);
  });
});
