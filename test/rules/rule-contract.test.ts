/**
 * What every built-in rule shares (rules/README.md): the same folder shape, options declared
 * once in options.ts, one cook for build and validate, and a harness that checks attributes the
 * way a build does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { DiagnosticError } from '../../src/diagnostic/diagnostic.js';
import { createRegistry } from '../../src/rule/registry.js';
import type { AnyRule } from '../../src/rule/rule.js';
import { ObjectSchema } from '../../src/rule/schema.js';
import { loadPackage } from '../../src/workspace/package-loader.js';
import type { WorkspaceConfig } from '../../src/workspace/workspace-config.js';
import { YamlFile } from '../../src/workspace/yaml-file.js';
import { runRule } from '../support/rule-harness.js';

const RULES_DIR = join(import.meta.dirname, '../../rules');
const rules = builtinRules();

describe('every rule folder has the same shape', () => {
  it.each(rules.map((rule) => [rule.name, rule] as const))('%s: index.ts exports NAME and the rule; options.ts holds its schemas; cook-<rule>.ts cooks', async (name, rule) => {
    expect(existsSync(join(RULES_DIR, name, 'index.ts'))).toBe(true);
    expect(existsSync(join(RULES_DIR, name, 'options.ts'))).toBe(true);
    expect(existsSync(join(RULES_DIR, name, `cook-${name}.ts`))).toBe(true);
    const index = (await import(/* @vite-ignore */ pathToFileURL(join(RULES_DIR, name, 'index.ts')).href)) as Record<string, unknown>;
    const options = (await import(/* @vite-ignore */ pathToFileURL(join(RULES_DIR, name, 'options.ts')).href)) as Record<string, unknown>;
    expect(index['NAME']).toBe(rule.name);
    // Options are declared once: the schema the rule uses is the one exported by options.ts, and
    // no second DEFAULTS table exists.
    const schemas = Object.values(options).filter((value) => value instanceof ObjectSchema);
    expect(schemas).toContain(rule.attributes);
    if (rule.platformSettings) expect(schemas).toContain(rule.platformSettings);
    expect(Object.keys(index).filter((key) => key.includes('DEFAULTS'))).toEqual([]);
    expect(rule.defaults).toEqual(rule.attributes.defaults);
    // One entry point for build and validate.
    expect(Object.keys(rule).filter((key) => key === 'validate')).toEqual([]);
    // No circles: nothing in the folder imports its index.ts.
    const importers = readdirSync(join(RULES_DIR, name)).filter((file) => file !== 'index.ts' && file.endsWith('.ts'))
      .filter((file) => /from '\.\/index\.js'/.test(readFileSync(join(RULES_DIR, name, file), 'utf8')));
    expect(importers).toEqual([]);
  });
});

/** The diagnostics a build reports for `attrs` on a target of `rule` (the real package loader). */
function loaderDiagnostics(rule: AnyRule, attrs: Record<string, unknown>): unknown[] {
  const yaml = `targets:\n  target:\n    rule: ${rule.name}\n    srcs: [a.json]\n${Object.entries(attrs).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`).join('')}`;
  const config = { packagesPath: '', platforms: { desktop: {} } } as unknown as WorkspaceConfig;
  const pkg = loadPackage(config, 'test', YamlFile.parse(yaml, 'test/assets.yaml'), createRegistry([rule]));
  return (pkg.broken.get('target') ?? []).flatMap((error) => error.diagnostics).map(({ code, message, label }) => ({ code, message, label }));
}

async function harnessDiagnostics(rule: AnyRule, attrs: Record<string, unknown>): Promise<unknown[]> {
  try {
    await runRule(rule, { attrs, files: { 'test/a.json': '{}' }, srcs: ['test/a.json'] });
  } catch (error) {
    if (error instanceof DiagnosticError) return error.diagnostics.map(({ code, message, label }) => ({ code, message, label }));
    throw error;
  }
  return [];
}

describe('the rule harness checks attributes as a build does', () => {
  const data = rules.find((rule) => rule.name === 'data')!;

  it('rejects an unknown attribute with the same unknown-key diagnostic', async () => {
    const expected = loaderDiagnostics(data, { max_byte: 3 });
    expect(expected).toEqual([{ code: 'unknown-key', message: 'unknown attribute "max_byte" (did you mean "max_bytes"?)', label: '//test:target' }]);
    expect(await harnessDiagnostics(data, { max_byte: 3 })).toEqual(expected);
  });

  it('rejects a mistyped or out-of-range attribute with the same bad-attribute diagnostic', async () => {
    for (const attrs of [{ max_bytes: 'big' }, { max_bytes: 0 }, { format: 'jsn' }]) {
      const expected = loaderDiagnostics(data, attrs);
      expect(expected).toHaveLength(1);
      expect(expected[0]).toMatchObject({ code: 'bad-attribute' });
      expect(await harnessDiagnostics(data, attrs)).toEqual(expected);
    }
  });

  it('rejects platform settings the rule does not know, with the schema issue', async () => {
    const texture = rules.find((rule) => rule.name === 'texture')!;
    const run = runRule(texture, { platform: { name: 'desktop', settings: { mips: false } }, files: { 't/a.png': new Uint8Array() }, srcs: ['t/a.png'] });
    await expect(run).rejects.toMatchObject({ diagnostics: [{ code: 'unknown-key', message: 'unknown attribute "mips"' }] });
  });

  it('gives the cook the schema defaults, under what the target sets', async () => {
    const result = await runRule(data, { attrs: { csv_typed: false }, files: { 'test/a.json': '{"b":1,"a":2}' }, srcs: ['test/a.json'] });
    expect(result.attrs).toEqual({ format: 'auto', csv_typed: false, check_refs: true, max_bytes: 64 * 1024 * 1024 });
    expect(new TextDecoder().decode(result.bytes('target.json'))).toBe('{"a":2,"b":1}');
  });

  it('runs the same cook in validate mode, which checks but writes nothing', async () => {
    const files = { 'test/a.json': '{"a":1}', 'test/bad.json': '{"a":' };
    expect((await runRule(data, { files, srcs: ['test/a.json'] }, 'validate')).outputs).toEqual([]);
    await expect(runRule(data, { files, srcs: ['test/bad.json'] }, 'validate')).rejects.toThrow();
  });
});
