/** Small deterministic rules for engine tests: each exercises one engine behaviour. */
import { defineRule, type AnyRule } from '../../src/rule/rule.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { type Infer, s } from '../../src/rule/schema.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

const CONCAT_OPTIONS = s.object({ separator: s.string().default('|').describe('between parts') });
type ConcatOptions = Infer<typeof CONCAT_OPTIONS>;

/** Concatenates its sources and its dependencies' outputs; fails on a source containing "crash". */
export function concatRule(version = 1): AnyRule {
  return defineRule<ConcatOptions>({
    name: 'concat',
    version,
    type: 'files',
    description: 'test: concatenation',
    attributes: CONCAT_OPTIONS,
    needsSources: false,
    async cook(ctx) {
      const parts: string[] = [];
      for (const dep of ctx.deps) for (const out of dep.outputs) parts.push(text(await ctx.readOutput(out)));
      for (const src of ctx.srcs) {
        const content = text(await ctx.readSource(src));
        if (content.includes('crash')) throw new Error('boom: the rule crashed');
        if (content.includes('bad')) throw new RuleError('this source is bad', { file: src.path, line: 1, column: 1 });
        parts.push(content.trim());
      }
      await ctx.output(`${ctx.name}.txt`, bytes(parts.join(ctx.attrs.separator)));
    },
  });
}

/** Resolves `#include <path>` lines through ctx.readFile (discovered inputs). */
export function includeRule(): AnyRule {
  return defineRule<object>({
    name: 'include',
    version: 1,
    type: 'shader',
    description: 'test: includes',
    attributes: s.object<object>({}),
    async cook(ctx) {
      const out: string[] = [];
      for (const src of ctx.srcs) {
        for (const line of text(await ctx.readSource(src)).split('\n')) {
          const match = /^#include (.+)$/.exec(line.trim());
          if (!match) {
            out.push(line);
            continue;
          }
          const included = await ctx.readFile(`${ctx.pkgDir}/${match[1]}`);
          out.push(included ? text(included).trim() : `// missing ${match[1]}`);
        }
      }
      await ctx.output(`${ctx.name}.out`, bytes(out.join('\n')));
    },
  });
}

/** Sleeps while counting how many cooks run at once (for --jobs tests). */
export function slowRule(gauge: { now: number; max: number }): AnyRule {
  return defineRule<object>({
    name: 'slow',
    version: 1,
    type: 'files',
    description: 'test: concurrency gauge',
    attributes: s.object<object>({}),
    async cook(ctx) {
      gauge.now++;
      gauge.max = Math.max(gauge.max, gauge.now);
      await new Promise((resolve) => setTimeout(resolve, 40));
      gauge.now--;
      await ctx.output(`${ctx.name}.txt`, await ctx.readSource(ctx.srcs[0]!));
    },
  });
}

/** Writes a different byte every time it runs: what --check-determinism must catch. */
export function flakyRule(): AnyRule {
  let runs = 0;
  return defineRule<object>({
    name: 'flaky',
    version: 1,
    type: 'files',
    description: 'test: not deterministic',
    attributes: s.object<object>({}),
    async cook(ctx) {
      runs++;
      await ctx.output(`${ctx.name}.bin`, bytes(`run ${runs}`));
    },
  });
}
