/**
 * A small typed schema for rule attributes. Each rule states the shape of its attributes once;
 * the workspace loader checks YAML against it and maps every issue back to file:line:column.
 * Hand-rolled rather than zod: it is ~200 lines, adds nothing to start-up time, and can suggest
 * the nearest attribute name for a typo.
 */
import { nearest } from './nearest.js';

export type IssuePath = readonly (string | number)[];

export interface SchemaIssue {
  /** Where in the checked value the problem is, e.g. `['lods', 2]`. */
  path: IssuePath;
  message: string;
  /** An attribute the schema does not know (its key is what to point at), or a bad value. */
  kind?: 'unknown-key';
}

/** Type-level mark of a schema that carries a default (`.default(v)`); never present at run time. */
declare const HAS_DEFAULT: unique symbol;
export type WithDefault<S> = S & { readonly [HAS_DEFAULT]: true };

export abstract class Schema<T> {
  /** One line for `kiln rules` and the README's rule reference. */
  description = '';
  /** The value used when nobody sets this field (`kiln rules` shows it); only object fields use it. */
  defaultValue: T | undefined = undefined;

  abstract readonly typeName: string;

  /** Check `value`; push issues and return undefined when it does not fit. */
  abstract check(value: unknown, path: IssuePath, issues: SchemaIssue[]): T | undefined;

  describe(text: string): this {
    this.description = text;
    return this;
  }

  /**
   * The field's value when neither the target nor the package `defaults:` set it. The engine
   * applies it before the cook (so it is part of the action key), and `Infer` makes the field
   * required in the type the cook sees.
   */
  default(value: T): WithDefault<this> {
    const issues: SchemaIssue[] = [];
    this.check(value, [], issues);
    // A default the schema itself rejects would be a rule bug that only shows when nobody sets the field.
    if (issues.length > 0) throw new Error(`schema default ${JSON.stringify(value)} does not fit: ${issues[0]!.message}`);
    // Every target without the field shares this one value: frozen, so a cook cannot change it for the next.
    this.defaultValue = deepFreeze(value);
    return this as WithDefault<this>;
  }

  parse(value: unknown): { value: T | undefined; issues: SchemaIssue[] } {
    const issues: SchemaIssue[] = [];
    const parsed = this.check(value, [], issues);
    return { value: issues.length === 0 ? parsed : undefined, issues };
  }
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

class StringSchema extends Schema<string> {
  readonly typeName = 'string';
  constructor(private readonly pattern?: RegExp) {
    super();
  }
  check(value: unknown, path: IssuePath, issues: SchemaIssue[]): string | undefined {
    if (typeof value !== 'string') {
      issues.push({ path, message: `expected a string, got ${typeOf(value)}` });
      return undefined;
    }
    if (this.pattern && !this.pattern.test(value)) {
      issues.push({ path, message: `"${value}" does not match ${this.pattern}` });
      return undefined;
    }
    return value;
  }
}

interface NumberBounds {
  min?: number;
  max?: number;
  integer?: boolean;
}

class NumberSchema extends Schema<number> {
  readonly typeName: string;
  constructor(private readonly bounds: NumberBounds) {
    super();
    this.typeName = bounds.integer ? 'integer' : 'number';
  }
  check(value: unknown, path: IssuePath, issues: SchemaIssue[]): number | undefined {
    const { min, max, integer } = this.bounds;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      issues.push({ path, message: `expected ${integer ? 'an integer' : 'a number'}, got ${typeOf(value)}` });
      return undefined;
    }
    if (integer && !Number.isInteger(value)) {
      issues.push({ path, message: `expected an integer, got ${value}` });
      return undefined;
    }
    if (min !== undefined && value < min) {
      issues.push({ path, message: `${value} is below the minimum ${min}` });
      return undefined;
    }
    if (max !== undefined && value > max) {
      issues.push({ path, message: `${value} is above the maximum ${max}` });
      return undefined;
    }
    return value;
  }
}

class BooleanSchema extends Schema<boolean> {
  readonly typeName = 'boolean';
  check(value: unknown, path: IssuePath, issues: SchemaIssue[]): boolean | undefined {
    if (typeof value !== 'boolean') {
      issues.push({ path, message: `expected true or false, got ${typeOf(value)}` });
      return undefined;
    }
    return value;
  }
}

class EnumSchema<T extends string> extends Schema<T> {
  readonly typeName: string;
  constructor(readonly values: readonly T[]) {
    super();
    this.typeName = values.join(' | ');
  }
  check(value: unknown, path: IssuePath, issues: SchemaIssue[]): T | undefined {
    if (typeof value === 'string' && (this.values as readonly string[]).includes(value)) return value as T;
    const hint = typeof value === 'string' ? nearest(value, this.values) : undefined;
    issues.push({
      path,
      message: `expected one of ${this.values.join(', ')}, got ${typeOf(value)}${hint ? ` (did you mean "${hint}"?)` : ''}`,
    });
    return undefined;
  }
}

class ArraySchema<T> extends Schema<T[]> {
  readonly typeName: string;
  constructor(
    private readonly item: Schema<T>,
    private readonly bounds: { min?: number; max?: number },
  ) {
    super();
    this.typeName = `list of ${item.typeName}`;
  }
  check(value: unknown, path: IssuePath, issues: SchemaIssue[]): T[] | undefined {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `expected a list, got ${typeOf(value)}` });
      return undefined;
    }
    if (this.bounds.min !== undefined && value.length < this.bounds.min) {
      issues.push({ path, message: `expected at least ${this.bounds.min} item(s), got ${value.length}` });
    }
    if (this.bounds.max !== undefined && value.length > this.bounds.max) {
      issues.push({ path, message: `expected at most ${this.bounds.max} item(s), got ${value.length}` });
    }
    const before = issues.length;
    const out = value.map((item, index) => this.item.check(item, [...path, index], issues));
    return issues.length === before ? (out as T[]) : undefined;
  }
}

class RecordSchema<T> extends Schema<Record<string, T>> {
  readonly typeName: string;
  constructor(private readonly item: Schema<T>) {
    super();
    this.typeName = `mapping of ${item.typeName}`;
  }
  check(value: unknown, path: IssuePath, issues: SchemaIssue[]): Record<string, T> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ path, message: `expected a mapping, got ${typeOf(value)}` });
      return undefined;
    }
    const before = issues.length;
    const out: Record<string, T> = {};
    for (const [key, item] of Object.entries(value)) {
      const parsed = this.item.check(item, [...path, key], issues);
      if (parsed !== undefined) out[key] = parsed;
    }
    return issues.length === before ? out : undefined;
  }
}

class AnySchema extends Schema<unknown> {
  readonly typeName = 'any';
  check(value: unknown): unknown {
    return value;
  }
}

class UnionSchema<T> extends Schema<T> {
  readonly typeName: string;
  constructor(private readonly options: readonly Schema<T>[]) {
    super();
    this.typeName = options.map((o) => o.typeName).join(' or ');
  }
  check(value: unknown, path: IssuePath, issues: SchemaIssue[]): T | undefined {
    for (const option of this.options) {
      const attempt: SchemaIssue[] = [];
      const parsed = option.check(value, path, attempt);
      if (attempt.length === 0) return parsed;
    }
    issues.push({ path, message: `expected ${this.typeName}, got ${typeOf(value)}` });
    return undefined;
  }
}

/** A field of an object schema: optional fields may be absent (a schema default fills them). */
export type Shape<T> = { [K in keyof T]-?: Schema<NonNullable<T[K]>> };

/** Field name → schema, as written in `s.object({...})`. */
export type SchemaShape = { readonly [key: string]: Schema<unknown> };

type DefaultedKeys<S extends SchemaShape> = { [K in keyof S]: S[K] extends { readonly [HAS_DEFAULT]: true } ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * The value type an object schema describes once defaults are applied: fields with a default are
 * required, the others optional. This is what a rule's cook sees as `ctx.attrs`.
 */
export type InferShape<S extends SchemaShape> = Flatten<
  { [K in DefaultedKeys<S>]: Infer<S[K]> } & { [K in Exclude<keyof S, DefaultedKeys<S>>]?: Infer<S[K]> }
>;

export class ObjectSchema<T extends object> extends Schema<T> {
  readonly typeName = 'mapping';
  /** Field name → schema (untyped view, so rules with different options share one registry type). */
  readonly shape: Readonly<Record<string, Schema<unknown>>>;
  private readonly required: readonly string[];

  constructor(shape: Shape<T>, required: readonly (keyof T & string)[] = []) {
    super();
    this.shape = shape as Record<string, Schema<unknown>>;
    this.required = required;
  }

  get keys(): string[] {
    return Object.keys(this.shape);
  }

  /** Field → schema default, for the fields that have one (what `Rule.defaults` is made of). */
  get defaults(): Partial<T> {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(this.shape)) if (field.defaultValue !== undefined) out[key] = field.defaultValue;
    return out as Partial<T>;
  }

  /** `values` with the schema's defaults under them: the resolved value a cook sees. */
  withDefaults(values: Readonly<Partial<T>>): T {
    return { ...this.defaults, ...values } as T;
  }

  check(value: unknown, path: IssuePath, issues: SchemaIssue[]): T | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ path, message: `expected a mapping, got ${typeOf(value)}` });
      return undefined;
    }
    const before = issues.length;
    const shape = this.shape;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const field = shape[key];
      if (!field) {
        const hint = nearest(key, this.keys);
        issues.push({ path: [...path, key], kind: 'unknown-key', message: `unknown attribute "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
        continue;
      }
      const parsed = field.check(item, [...path, key], issues);
      if (parsed !== undefined) out[key] = parsed;
    }
    for (const key of this.required) {
      if (!(key in value)) issues.push({ path, message: `missing required attribute "${key}"` });
    }
    return issues.length === before ? (out as T) : undefined;
  }
}

function object<const S extends SchemaShape>(shape: S, required?: readonly (keyof S & string)[]): ObjectSchema<InferShape<S>>;
function object<T extends object>(shape: Shape<T>, required?: readonly (keyof T & string)[]): ObjectSchema<T>;
function object(shape: SchemaShape, required: readonly string[] = []): ObjectSchema<object> {
  return new ObjectSchema<object>(shape as Shape<object>, required as never[]);
}

/**
 * Schema constructors, used by every rule. Options are declared once, their type inferred:
 * `const OPTIONS = s.object({ max_size: s.integer({ min: 1 }).default(64).describe('…') })` and
 * `type Options = Infer<typeof OPTIONS>`; `s.object<T>({...})` checks a shape against a given type.
 */
export const s = {
  string: (pattern?: RegExp) => new StringSchema(pattern),
  number: (bounds: NumberBounds = {}) => new NumberSchema(bounds),
  integer: (bounds: Omit<NumberBounds, 'integer'> = {}) => new NumberSchema({ ...bounds, integer: true }),
  boolean: () => new BooleanSchema(),
  enum: <const T extends string>(values: readonly T[]) => new EnumSchema<T>(values),
  array: <T>(item: Schema<T>, bounds: { min?: number; max?: number } = {}) => new ArraySchema(item, bounds),
  record: <T>(item: Schema<T>) => new RecordSchema(item),
  union: <T>(...options: Schema<T>[]) => new UnionSchema<T>(options),
  any: () => new AnySchema(),
  object,
};
