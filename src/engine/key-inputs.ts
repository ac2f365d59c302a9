import { canonicalJson } from '../hash/canonical-json.js';
import { sha256Hex } from '../hash/digest.js';

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
  /** Tool name → identity (npm name@version, or package version + executable digest): see Rule.tools. */
  tools: Record<string, string>;
}

/** Discovered path → digest key, or `absent`. */
export type DiscoveredDigests = Record<string, string>;

/** SHA-256 (64 hex): keys address shared caches, so they must be collision-resistant too. */
export function keyHash(text: string): string {
  return sha256Hex(text);
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
    canonicalJson(inputs.tools),
  ].join('\u0000');
  return keyHash(text);
}

/** Second-level key: the primary key plus the current digests of the discovered inputs. */
export function resultKey(primary: string, discovered: DiscoveredDigests): string {
  return keyHash(`${primary}\u0000${canonicalJson(discovered)}`);
}
