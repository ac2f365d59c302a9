import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { scriptRule } from '../../../rules/script/index.js';
import { runRule } from '../../support/rule-harness.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/script/', import.meta.url));
const PKG = 'sample-project/common/scripts';
const ENTRY = `${PKG}/game/main.ts`;

function files(dir = FIXTURES, prefix = PKG): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, files(full, `${prefix}/${name}`));
    else out[`${prefix}/${name}`] = readFileSync(full);
  }
  return out;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function cook(entry = ENTRY, extra: Record<string, unknown> = {}) {
  return runRule(scriptRule(), { label: '//common/scripts:game', files: files(), srcs: [entry], attrs: { define: { DEBUG: 'false' } }, ...extra });
}

async function cookError(promise: Promise<unknown>): Promise<RuleError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RuleError);
  return error as RuleError;
}

describe('script rule', () => {
  it('bundles and minifies a TS entry with its imports, tree-shaken, legal comment kept at the end', async () => {
    const result = await cook();
    const code = text(result.bytes('game.js'));
    expect(code).toMatch(/export\s*\{/);
    expect(code).not.toContain('unusedHelper');
    expect(code).not.toContain('must not appear');
    expect(code).not.toContain('console.log');
    expect(code).not.toMatch(/\n\s+/);
    expect(code.trimEnd()).toMatch(/kiln sample game script — MIT \*\/\n\/\/# sourceMappingURL=game\.js\.map$/);
    expect(result.stats).toMatchObject({ modules: 4 });
    const module = await import(`data:text/javascript,${encodeURIComponent(code)}`);
    expect(module.update({ dt: 0 })).toBe(100);
  });

  it('records every imported file as a discovered input, including probed candidates', async () => {
    const result = await cook();
    for (const path of ['game/main.ts', 'game/lib/math.ts', 'game/lib/health.ts', 'game/tuning.json']) {
      expect(result.discovered.get(`${PKG}/${path}`)).toBe(true);
    }
    // `./lib/math.js` resolved by trying the `.js` file first: creating it later must re-cook.
    expect(result.discovered.get(`${PKG}/game/lib/math.js`)).toBe(false);
    expect(result.outputs[0]!.meta['modules']).toEqual([`${PKG}/game/lib/health.ts`, `${PKG}/game/lib/math.ts`, ENTRY, `${PKG}/game/tuning.json`]);
  });

  it('is deterministic, and an edit to an imported file changes the bundle', async () => {
    const [a, b] = await Promise.all([cook(), cook()]);
    expect(a.bytes('game.js')).toEqual(b.bytes('game.js'));
    expect(a.bytes('game.js.map')).toEqual(b.bytes('game.js.map'));
    const edited = files();
    edited[`${PKG}/game/tuning.json`] = new TextEncoder().encode('{ "maxHealth": 250, "speed": 2.5 }');
    const c = await runRule(scriptRule(), { label: '//common/scripts:game', files: edited, srcs: [ENTRY], attrs: { define: { DEBUG: 'false' } } });
    expect(text(c.bytes('game.js'))).toContain('250');
  });

  it('writes a source map with workspace-relative sources', async () => {
    const map = JSON.parse(text((await cook()).bytes('game.js.map')));
    expect(map.sources).toContain(`${PKG}/game/lib/math.ts`);
    expect(map.sources.every((s: string) => s.startsWith(`${PKG}/`))).toBe(true);
  });

  it('reports a syntax error at file:line:column', async () => {
    const error = await cookError(cook(`${PKG}/syntax-error.ts`));
    expect(error.message).toMatch(/Expected "}" but found "clamp"/);
    expect(error).toMatchObject({ file: `${PKG}/syntax-error.ts`, line: 3, column: 10 });
  });

  it('reports an unresolvable import at the import statement', async () => {
    const result = cook(`${PKG}/missing-import.ts`);
    const error = await cookError(result);
    expect(error.message).toMatch(/cannot resolve "\.\/game\/lib\/nowhere"/);
    expect(error).toMatchObject({ file: `${PKG}/missing-import.ts`, line: 1 });
  });

  it('rejects bare package imports unless they are declared external', async () => {
    const error = await cookError(cook(`${PKG}/bare-import.ts`));
    expect(error.message).toMatch(/cannot bundle "gl-matrix"/);
    const ok = await cook(`${PKG}/bare-import.ts`, { attrs: { external: ['gl-matrix'], minify: false } });
    expect(text(ok.bytes('game.js'))).toMatch(/from "gl-matrix"/);
  });

  it('honours format, sourcemap and the platform size budget', async () => {
    const iife = await cook(ENTRY, { attrs: { format: 'iife', global_name: 'Game', sourcemap: false, define: { DEBUG: 'false' } } });
    expect(text(iife.bytes('game.js'))).toMatch(/^var Game=/);
    expect(iife.outputs.map((o) => o.name)).toEqual(['game.js']);
    const error = await cookError(cook(ENTRY, { platform: { name: 'web', settings: { max_size: 100 } } }));
    expect(error.message).toMatch(/bytes; platform web allows 100/);
  });
});
