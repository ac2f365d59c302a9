import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRuntimeForBrowser } from '../../sample-project/web/serve.mjs';

const runtimeDir = join(import.meta.dirname, '../../src/runtime');

describe('runtime browser safety', () => {
  it('has no node: imports outside the Node-only file source', async () => {
    const files = (await readdir(runtimeDir)).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const text = await readFile(join(runtimeDir, file), 'utf8');
      // value imports only: `import type` is erased at compile time
      const nodeImports = text.split('\n').filter((line) => /^import (?!type )/.test(line) && /['"]node:/.test(line));
      const dynamic = text.match(/import\(\s*['"]node:/g) ?? [];
      if (file === 'file-source.ts') continue;
      expect([...nodeImports, ...dynamic], file).toEqual([]);
    }
  });

  it('imports nothing from the cooker except the bundle formats', async () => {
    const files = (await readdir(runtimeDir)).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const text = await readFile(join(runtimeDir, file), 'utf8');
      for (const m of text.matchAll(/from\s+'(\.\.\/[^']+)'/g)) expect(m[1], file).toMatch(/^\.\.\/(bundle\/(index-format|catalog-format|tar-header|format-error)|rule\/asset-type)\.js$/);
    }
  });

  it('bundles for the browser platform with esbuild', async () => {
    const { code } = await buildRuntimeForBrowser();
    expect(code).toContain('openBundle');
    expect(code).not.toMatch(/from\s*["']node:/);
  });
});
