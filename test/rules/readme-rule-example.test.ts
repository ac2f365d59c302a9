/**
 * The README's "Writing a rule" example works as written: its three files (options.ts, index.ts,
 * cook-greeting.ts) are copied into a scratch rules/greeting/ next to a link to src/, and the rule
 * is cooked through the rule harness.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnyRule } from '../../src/rule/rule.js';
import { runRule } from '../support/rule-harness.js';

const REPO = join(import.meta.dirname, '../..');
const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Writing a rule\n'), readme.indexOf('\n## ', readme.indexOf('## Writing a rule\n') + 1));
const blocks = [...section.matchAll(/```ts\n\/\/ (rules\/greeting\/[a-z-]+\.ts)[^\n]*\n([\s\S]*?)```/g)].map((m) => ({ path: m[1]!, code: m[2]! }));

const dir = mkdtempSync(join(tmpdir(), 'kiln-readme-rule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README "Writing a rule"', () => {
  it('has the options, index and cook files of one rule folder', () => {
    expect(blocks.map((b) => b.path).sort()).toEqual(['rules/greeting/cook-greeting.ts', 'rules/greeting/index.ts', 'rules/greeting/options.ts']);
  });

  it('cooks as written, with the schema default applied and validate mode writing nothing', async () => {
    symlinkSync(join(REPO, 'src'), join(dir, 'src'));
    mkdirSync(join(dir, 'rules/greeting'), { recursive: true });
    for (const block of blocks) writeFileSync(join(dir, block.path), block.code);
    const module = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'rules/greeting/index.ts')).href)) as { greetingRule(): AnyRule; NAME: string };
    const rule = module.greetingRule();
    expect(rule.name).toBe(module.NAME);
    expect(rule.defaults).toEqual({ prefix: 'hello, ' });
    const files = { 'greet/names.txt': 'ann\nbo' };
    const cooked = await runRule(rule, { label: '//greet:hi', files, srcs: ['greet/names.txt'] });
    expect(new TextDecoder().decode(cooked.bytes('hi.txt'))).toBe('hello, ann\nhello, bo');
    const loud = await runRule(rule, { label: '//greet:hi', files, srcs: ['greet/names.txt'], attrs: { prefix: '> ', upper: true } });
    expect(new TextDecoder().decode(loud.bytes('hi.txt'))).toBe('> ANN\n> BO');
    expect((await runRule(rule, { label: '//greet:hi', files, srcs: ['greet/names.txt'] }, 'validate')).outputs).toEqual([]);
    await expect(runRule(rule, { label: '//greet:hi', files, srcs: ['greet/names.txt'], attrs: { prefx: '> ' } })).rejects.toMatchObject({ diagnostics: [{ code: 'unknown-key' }] });
  });
});
