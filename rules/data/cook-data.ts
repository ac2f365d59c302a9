/** The `data` cook, start to end; in validate mode it returns after its checks, before writing outputs. */
import { RuleError } from '../../src/rule/rule-error.js';
import { canonicalJson } from '../../src/hash/canonical-json.js';
import { collectLabelRefs } from './collect-label-refs.js';
import { parseData } from './parse-data.js';
import { validateWithJsonSchema } from './validate-with-json-schema.js';
import type { RuleContext } from '../../src/rule/context.js';
import type { DataOptions } from './options.js';

export async function cookData(ctx: RuleContext<DataOptions>): Promise<void> {
  const merged: unknown[] = [];
  for (const src of ctx.srcs) {
    if (src.digest.size > ctx.attrs.max_bytes) {
      throw new RuleError(`${src.digest.size} bytes is over max_bytes ${ctx.attrs.max_bytes}`, { file: src.path });
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(await ctx.readSource(src));
    const value = parseData(text, src.path, ctx.attrs.format, ctx.attrs.csv_typed);
    if (ctx.attrs.schema) {
      const schemaPath = `${ctx.pkgDir ? `${ctx.pkgDir}/` : ''}${ctx.attrs.schema}`;
      const schemaBytes = await ctx.readFile(schemaPath);
      if (!schemaBytes) throw new RuleError(`schema file not found: ${schemaPath}`);
      await validateWithJsonSchema(value, new TextDecoder().decode(schemaBytes), schemaPath, src.path);
    }
    merged.push(value);
  }
  const value = merged.length === 1 ? merged[0] : merged;
  const refs = !ctx.attrs.check_refs ? {} : collectLabelRefs(value, ctx.pkg, ctx.deps, ctx.srcs[0]?.path ?? ctx.label);
  const json = canonicalJson(value);
  ctx.stat('bytes', json.length);
  ctx.stat('refs', Object.keys(refs).length);
  if (ctx.mode === 'validate') return;
  await ctx.output(`${ctx.name}.json`, new TextEncoder().encode(json), { refs });
}
