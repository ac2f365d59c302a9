/**
 * The built-in rules. The CLI builds its registry from this list; every factory is cheap because
 * rules load their heavy libraries only when they first cook.
 */
import type { AnyRule } from '../src/rule/rule.js';
import { dataRule } from './data/index.js';
import { filesRule } from './files/index.js';

export function builtinRules(): AnyRule[] {
  return [filesRule(), dataRule()];
}
