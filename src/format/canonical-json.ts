/**
 * JSON with sorted object keys and no whitespace. Action keys and index files go through this,
 * so two machines (or two runs with different insertion order) always produce the same bytes.
 *
 * The bytes are those of `JSON.stringify` of a copy whose keys were inserted in sorted order
 * (`sortedCopyJson`, the definition): array-index keys ("0", "17") first in numeric order, as
 * every JavaScript object enumerates them, then the others sorted by UTF-16 code units. Plain
 * data (what keys, indexes and catalogs hold) is written directly, without the copy: building
 * one sorted object per object was ~1 s of CPU for the 100 bundle indexes of a 10k-asset build,
 * and gave V8 a new hidden class for every key set. Anything else (undefined in an array, a
 * function, a class instance such as a Date or a Uint8Array, a bigint) takes the definition.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (error) {
    if (error !== UNUSUAL) throw error;
    return sortedCopyJson(value);
  }
}

/** The definition: JSON of a copy with every object's keys inserted in sorted order. */
export function sortedCopyJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) {
      if (source[key] !== undefined) sorted[key] = sortKeys(source[key]);
    }
    return sorted;
  }
  return value;
}

/** Thrown by `write` for a value only the definition handles exactly. */
const UNUSUAL = Symbol('unusual');

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + write(value[i]);
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw UNUSUAL;
      const source = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const key of sortedKeys(Object.keys(source))) {
        const item = source[key];
        if (item === undefined) continue;
        // A function may be a `toJSON` the definition's copy would call; `__proto__` is not an own key of the copy.
        if (typeof item === 'function' || key === '__proto__') throw UNUSUAL;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${write(item)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw UNUSUAL;
  }
}

/** Keys in the order a freshly built object with them inserted sorted enumerates them. */
function sortedKeys(keys: string[]): string[] {
  let indexes = 0;
  for (const key of keys) if (isArrayIndex(key)) indexes++;
  if (indexes === 0) return keys.sort();
  const index = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  const rest = keys.filter((key) => !isArrayIndex(key)).sort();
  return [...index, ...rest];
}

/** "0" … "4294967294" written canonically: what objects keep as elements, enumerated first. */
function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57 || key.length > 10) return false;
  const n = Number(key);
  return n < 4294967295 && String(n) === key;
}
