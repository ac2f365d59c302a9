/**
 * `data`: JSON, YAML or CSV game data → validated, canonical JSON (sorted keys, no whitespace),
 * so the same data always has the same digest whatever the editor did to key order or spacing.
 * Strings that are labels (`//pkg:name`, `:name`) must be dependencies; they are resolved to
 * asset ids in the output's `refs` meta so the runtime can follow them.
 */
import { defineRule } from '../../src/rule/rule.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { s } from '../../src/rule/schema.js';
import { canonicalJson } from '../../src/hash/canonical-json.js';
import { collectLabelRefs } from './collect-label-refs.js';
import { parseData, type DataFormat } from './parse-data.js';
import { validateWithJsonSchema } from './validate-with-json-schema.js';

export const NAME = 'data';

export interface DataOptions {
  /** Source format; `auto` picks by file extension (.json, .yaml/.yml, .csv). */
  format?: DataFormat | 'auto';
  /** Package-relative path of a JSON Schema (draft 2020-12 or 07) the data must satisfy. */
  schema?: string;
  /** CSV: convert numeric and boolean cells to numbers and booleans. */
  csv_typed?: boolean;
  /** Check that label-like strings are dependencies (and record their asset ids). */
  check_refs?: boolean;
  /** Largest accepted source, in bytes (guards against accidental huge exports). */
  max_bytes?: number;
}

export const DEFAULTS: DataOptions = { format: 'auto', csv_typed: true, check_refs: true, max_bytes: 64 * 1024 * 1024 };

export function dataRule() {
  return defineRule<DataOptions>({
    name: NAME,
    // 2: a line holding only "" is a row with one empty cell (was skipped); errors name each row's first line.
    version: 2,
    type: 'data',
    description: 'JSON, YAML or CSV → validated canonical JSON.',
    attributes: s.object<DataOptions>({
      format: s.enum(['auto', 'json', 'yaml', 'csv']).describe('source format (auto = by extension)'),
      schema: s.string().describe('package-relative JSON Schema file'),
      csv_typed: s.boolean().describe('CSV: numbers and booleans become typed values'),
      check_refs: s.boolean().describe('label strings must be dependencies'),
      max_bytes: s.integer({ min: 1 }).describe('largest accepted source in bytes'),
    }),
    defaults: DEFAULTS,
    async cook(ctx) {
      const merged: unknown[] = [];
      for (const src of ctx.srcs) {
        if (src.digest.size > (ctx.attrs.max_bytes ?? Infinity)) {
          throw new RuleError(`${src.digest.size} bytes is over max_bytes ${ctx.attrs.max_bytes}`, { file: src.path });
        }
        const text = new TextDecoder('utf-8', { fatal: false }).decode(await ctx.readSource(src));
        const value = parseData(text, src.path, ctx.attrs.format ?? 'auto', ctx.attrs.csv_typed ?? true);
        if (ctx.attrs.schema) {
          const schemaPath = `${ctx.pkgDir ? `${ctx.pkgDir}/` : ''}${ctx.attrs.schema}`;
          const schemaBytes = await ctx.readFile(schemaPath);
          if (!schemaBytes) throw new RuleError(`schema file not found: ${schemaPath}`);
          await validateWithJsonSchema(value, new TextDecoder().decode(schemaBytes), schemaPath, src.path);
        }
        merged.push(value);
      }
      const value = merged.length === 1 ? merged[0] : merged;
      const refs = ctx.attrs.check_refs === false ? {} : collectLabelRefs(value, ctx.pkg, ctx.deps, ctx.srcs[0]?.path ?? ctx.label);
      const json = canonicalJson(value);
      ctx.stat('bytes', json.length);
      ctx.stat('refs', Object.keys(refs).length);
      await ctx.output(`${ctx.name}.json`, new TextEncoder().encode(json), { refs });
    },
  });
}
