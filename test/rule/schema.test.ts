import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineRule } from '../../src/rule/rule.js';
import { type Infer, s } from '../../src/rule/schema.js';

const OPTIONS = s.object({
  max_bytes: s.integer({ min: 1 }).default(64).describe('largest accepted source'),
  format: s.enum(['auto', 'json'] as const).default('auto'),
  schema: s.string().describe('no default: optional'),
  tags: s.array(s.string()).default([]),
});
type Options = Infer<typeof OPTIONS>;

describe('schema defaults', () => {
  it('infers fields with a default as required and the others as optional', () => {
    expectTypeOf<Options>().toEqualTypeOf<{ max_bytes: number; format: 'auto' | 'json'; tags: string[]; schema?: string }>();
  });

  it('collects the defaults of an object schema and keeps descriptions', () => {
    expect(OPTIONS.defaults).toEqual({ max_bytes: 64, format: 'auto', tags: [] });
    expect(OPTIONS.shape['max_bytes']!.description).toBe('largest accepted source');
    expect(OPTIONS.shape['schema']!.defaultValue).toBeUndefined();
  });

  it('does not fill defaults while checking, so package defaults and targets can layer', () => {
    expect(OPTIONS.parse({ schema: 'a.json' })).toEqual({ value: { schema: 'a.json' }, issues: [] });
    expect(OPTIONS.withDefaults({ schema: 'a.json', max_bytes: 3 })).toEqual({ max_bytes: 3, format: 'auto', tags: [], schema: 'a.json' });
  });

  it('freezes defaults, so one cook cannot change them for the next', () => {
    const list = OPTIONS.shape['tags']!.defaultValue as string[];
    expect(() => list.push('x')).toThrow(TypeError);
    expect(OPTIONS.defaults).toEqual({ max_bytes: 64, format: 'auto', tags: [] });
  });

  it('refuses a default its own schema rejects', () => {
    expect(() => s.integer({ min: 1 }).default(0)).toThrow(/schema default 0 does not fit: 0 is below the minimum 1/);
    expect(() => s.enum(['a', 'b'] as const).default('c' as 'a')).toThrow(/does not fit/);
  });

  it('still checks a shape against an explicit type', () => {
    const explicit = s.object<{ a?: number }>({ a: s.number() });
    expect(explicit.parse({ a: 'x' }).issues).toEqual([{ path: ['a'], message: 'expected a number, got string "x"' }]);
  });
});

describe('defineRule', () => {
  it('derives the rule defaults from the attribute schema', async () => {
    const rule = defineRule({
      name: 'demo',
      version: 1,
      type: 'data',
      description: 'demo',
      attributes: OPTIONS,
      async cook(ctx) {
        expectTypeOf(ctx.attrs.max_bytes).toEqualTypeOf<number>();
        expectTypeOf(ctx.mode).toEqualTypeOf<'cook' | 'validate'>();
      },
    });
    expect(rule.defaults).toEqual({ max_bytes: 64, format: 'auto', tags: [] });
    expect('validate' in rule).toBe(false);
  });
});
