import type { RuleRegistry } from '../../rule/registry.js';
import type { RequestKind } from '../tracker/request-kind.js';

/**
 * A rule's identity, `name@version` (`unknown` when no rule has that name). Actions depend on it,
 * so a version bump re-keys exactly that rule's targets. It reads nothing through the tracker,
 * so it is recomputed whenever verified (a map lookup in this process's registry) and cut off by
 * its value.
 */
export function ruleIdentityKind(rules: RuleRegistry): RequestKind<string, string> {
  return {
    name: 'rule',
    key: (name) => name,
    run(name) {
      const rule = rules.get(name);
      return rule ? `${rule.name}@${rule.version}` : 'unknown';
    },
    fingerprint: (identity) => identity,
  };
}
