/**
 * Declares a typed meta once: a spec of fields gives both the TypeScript type (`MetaOf<spec>`)
 * and the reader that checks untrusted JSON against it (`readSpec`), so the cooker's type and the
 * runtime's check cannot drift apart. Readers reject unknown keys: a meta is exactly its spec.
 */
import { FormatError } from './format-error.js';
import { arrayOf, booleanOf, intOf, numberOf, objectOf, oneOf, stringOf } from './json-reader.js';

export interface Field<T, Optional extends boolean = false> {
  readonly optional: Optional;
  read(value: unknown, where: string): T;
}

export type Spec = Record<string, Field<unknown, boolean>>;

type ValueOf<F> = F extends Field<infer T, boolean> ? T : never;
type RequiredKeys<S extends Spec> = { [K in keyof S]: S[K] extends Field<unknown, true> ? never : K }[keyof S];
type OptionalKeys<S extends Spec> = { [K in keyof S]: S[K] extends Field<unknown, true> ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };

/** The object type a spec describes: required fields, plus `?:` for optional ones. */
export type MetaOf<S extends Spec> = Flat<{ [K in RequiredKeys<S>]: ValueOf<S[K]> } & { [K in OptionalKeys<S>]?: ValueOf<S[K]> }>;

function field<T>(read: (value: unknown, where: string) => T): Field<T> {
  return { optional: false, read };
}

/** Field constructors. Numbers from outside are finite; sizes and counts non-negative integers. */
export const meta = {
  int: field(intOf),
  number: field(numberOf),
  string: field((v, w) => stringOf(v, w)),
  boolean: field(booleanOf),
  literal<const T extends string>(...options: T[]): Field<T> {
    return field((v, w) => oneOf(v, options, w));
  },
  list<T>(item: Field<T, boolean>): Field<T[]> {
    return field((v, w) => arrayOf(v, w).map((x, i) => item.read(x, `${w}[${i}]`)));
  },
  record<T>(value: Field<T, boolean>): Field<Record<string, T>> {
    return field((v, w) => {
      const out: Record<string, T> = {};
      for (const [key, x] of Object.entries(objectOf(v, w))) out[key] = value.read(x, `${w}.${key}`);
      return out;
    });
  },
  object<S extends Spec>(spec: S): Field<MetaOf<S>> {
    return field((v, w) => readSpec(spec, v, w));
  },
  nullable<T>(inner: Field<T, boolean>): Field<T | null> {
    return field((v, w) => (v === null ? null : inner.read(v, w)));
  },
  optional<T>(inner: Field<T, boolean>): Field<T, true> {
    return { optional: true, read: inner.read };
  },
};

/** Reads `value` as exactly `spec`: every required field present and typed, no other key. */
export function readSpec<S extends Spec>(spec: S, value: unknown, where: string): MetaOf<S> {
  const o = objectOf(value, where);
  for (const key of Object.keys(o)) {
    if (!Object.hasOwn(spec, key)) throw new FormatError(`${where}: unknown field "${key}"`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(spec)) {
    if (o[key] === undefined) {
      if (!f.optional) throw new FormatError(`${where}.${key}: missing`);
      continue;
    }
    out[key] = f.read(o[key], `${where}.${key}`);
  }
  return out as MetaOf<S>;
}

/**
 * Reads `value` as one of several specs (an asset type's outputs differ: a font's metrics, atlas
 * and subset). Since specs reject unknown keys, at most one matches a well-formed meta; the error
 * for none names the first variant's complaint.
 */
export function readOneOf<T>(variants: readonly ((value: unknown, where: string) => T)[], value: unknown, where: string): T {
  let first: unknown;
  for (const read of variants) {
    try {
      return read(value, where);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      first ??= error;
    }
  }
  throw first instanceof FormatError ? first : new FormatError(`${where}: no meta variant matches`);
}
