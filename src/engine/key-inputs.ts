import { canonicalJson } from '../hash/canonical-json.js';
import { hashString } from '../hash/xxhash.js';

/**
 * Everything an action key is made of, kept in readable form so `--explain` can diff the
 * previous build's inputs against this one's.
 */
export interface KeyInputs {
  label: string;
  /** `name@version`. */
  rule: string;
  /** Load priority: bundles order by it, so it is an input like any attribute. */
  priority: string;
  /** Resolved attributes (rule defaults, package defaults, target, platform overrides). */
  attrs: Record<string, unknown>;
  /** The platform profile's settings for this rule. */
  platform: Record<string, unknown>;
  /** Source path → digest key. */
  srcs: Record<string, string>;
  /** Dependency label → its output digest keys, in order. */
  deps: Record<string, string[]>;
}

/** Discovered path → digest key, or `absent`. */
export type DiscoveredDigests = Record<string, string>;

/** 128 bits from two seeded xxh64 runs: plenty for a cache shared by a whole studio. */
export function key128(text: string): string {
  return hashString(text) + hashString(`kiln\u0000${text}`);
}

/**
 * First-level key: what is known before the rule runs. Attributes and settings are user objects
 * and go through canonical JSON; sources and dependencies are already in declaration order, which
 * is itself meaningful to rules, so they are serialised as they are (this is the hot path of a
 * no-op build).
 */
export function primaryKey(inputs: KeyInputs): string {
  const text = [
    'kiln-action-v2',
    inputs.label,
    inputs.rule,
    inputs.priority,
    canonicalJson(inputs.attrs),
    canonicalJson(inputs.platform),
    JSON.stringify(Object.entries(inputs.srcs)),
    JSON.stringify(Object.entries(inputs.deps)),
  ].join('\u0000');
  return key128(text);
}

/** Second-level key: the primary key plus the current digests of the discovered inputs. */
export function resultKey(primary: string, discovered: DiscoveredDigests): string {
  return key128(`${primary}\u0000${canonicalJson(discovered)}`);
}
