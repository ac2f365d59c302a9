/**
 * Typed readers for untrusted JSON (indexes and catalogs come over the network): each returns
 * the value with its type or throws a FormatError naming where in the document it failed.
 */
import { FormatError } from './format-error.js';

/** A SHA-256 digest as the formats spell it: 64 lowercase hex characters. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function objectOf(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FormatError(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

export function arrayOf(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new FormatError(`${where}: expected a list`);
  return value;
}

export function stringOf(value: unknown, where: string, pattern?: RegExp): string {
  if (typeof value !== 'string') throw new FormatError(`${where}: expected a string`);
  if (pattern && !pattern.test(value)) throw new FormatError(`${where}: "${value}" is malformed`);
  return value;
}

export function intOf(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FormatError(`${where}: expected a non-negative integer`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, options: readonly T[], where: string): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new FormatError(`${where}: expected one of ${options.join(', ')}`);
  }
  return value as T;
}

export function digestOf(value: unknown, where: string): { hash: string; size: number } {
  const o = objectOf(value, where);
  return { hash: stringOf(o.hash, `${where}.hash`, SHA256_HEX), size: intOf(o.size, `${where}.size`) };
}

export function numberOf(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new FormatError(`${where}: expected a finite number`);
  return value;
}

export function booleanOf(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new FormatError(`${where}: expected true or false`);
  return value;
}
