/**
 * The README's rule tables are written for game developers, by hand; this keeps them true to
 * the schemas in rules/<name>/options.ts: every attribute row names a real attribute, every
 * attribute has a row, and a default shown as a value is the schema's default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import type { ObjectSchema } from '../../src/rule/schema.js';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8').split('\n');
const rules = new Map(builtinRules().map((rule) => [rule.name, rule]));

/** Cells of a Markdown table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

interface Table {
  rule: string;
  kind: 'attributes' | 'settings';
  line: number;
  rows: { key: string; value: string; line: number }[];
}

function tables(): Table[] {
  const found: Table[] = [];
  let rule: string | undefined;
  for (let i = 0; i < README.length; i++) {
    const heading = /^#{3,5} .*?`([a-z]+)`/.exec(README[i]!);
    if (heading && rules.has(heading[1]!)) rule = heading[1]!;
    const header = /^\| (attribute|setting) \| (type|values) \| default \|/.exec(README[i]!);
    if (!header || !rule) continue;
    const table: Table = { rule, kind: header[1] === 'attribute' ? 'attributes' : 'settings', line: i + 1, rows: [] };
    for (let j = i + 2; j < README.length && README[j]!.startsWith('|'); j++) {
      const [key = '', , value = ''] = cells(README[j]!);
      table.rows.push({ key: key.replaceAll('`', ''), value, line: j + 1 });
    }
    found.push(table);
  }
  return found;
}

/** The value a default cell shows, or undefined when it describes one in words ("platform's", "—"). */
function shownValue(cell: string): unknown {
  const text = cell.replace(/^platform's, else /, '');
  const ticked = /^(`[^`]*`\s*)+/.exec(text);
  if (ticked) {
    const tokens = [...ticked[0].matchAll(/`([^`]*)`/g)].map((m) => m[1]!);
    if (tokens.length > 1) return tokens;
    try {
      return JSON.parse(tokens[0]!);
    } catch {
      return tokens[0];
    }
  }
  const word = /^-?\d[\d.e-]*/.exec(text);
  return word ? Number(word[0]) : undefined;
}

describe('README rule tables', () => {
  const all = tables();

  it('has attribute tables for the rules it documents in detail', () => {
    expect(new Set(all.map((t) => t.rule))).toEqual(new Set(['texture', 'model', 'animation', 'audio', 'shader', 'data']));
  });

  it.each(all.map((t) => [`${t.rule} ${t.kind} (README.md:${t.line})`, t] as const))('%s match the schema', (_, table) => {
    const rule = rules.get(table.rule)!;
    const schema = (table.kind === 'attributes' ? rule.attributes : rule.platformSettings) as ObjectSchema<object>;
    expect(table.rows.map((row) => row.key).sort(), 'rows vs schema fields').toEqual(schema.keys.sort());
    for (const row of table.rows) {
      const field = schema.shape[row.key]!;
      const shown = shownValue(row.value);
      if (field.defaultValue !== undefined) expect(shown, `README.md:${row.line} default of ${row.key}`).toEqual(field.defaultValue);
    }
  });
});
