import type { AnyRule } from './rule.js';

/** Rule name → rule. Built once by the CLI from `rules/index.ts`; tests build their own. */
export type RuleRegistry = ReadonlyMap<string, AnyRule>;

export function createRegistry(rules: readonly AnyRule[]): RuleRegistry {
  const registry = new Map<string, AnyRule>();
  for (const rule of rules) {
    if (registry.has(rule.name)) throw new Error(`two rules are named "${rule.name}"`);
    registry.set(rule.name, rule);
  }
  return registry;
}
