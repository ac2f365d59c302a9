import { canonicalJson } from '../../hash/canonical-json.js';
import type { LoadPriority } from '../../format/asset-type.js';
import type { DepInfo, SourceRef } from '../../rule/context.js';
import type { RuleModule } from '../../rule/rule.js';
import { type DiscoveredDigests, keyHash, resultKey } from '../key-inputs.js';

/**
 * One action as a plain value: everything a rule's cook may depend on, and nothing about the
 * machine it runs on. It survives `structuredClone` (worker threads) and canonical JSON (a file
 * a remote executor reads next to its staged inputs), so the same unit cooks the same bytes
 * in-process, on the worker pool or on a REAPI worker.
 */
export interface ActionUnit {
  rule: {
    name: string;
    version: number;
    /**
     * Where a worker or a separate process imports the rule from. Not part of the key: two
     * checkouts of one workspace at different paths must share cache entries.
     */
    module?: RuleModule;
  };
  label: string;
  pkg: string;
  /** The package's folder, workspace-relative (`sample-project/levels/forest`). */
  pkgDir: string;
  name: string;
  assetId: string;
  priority: LoadPriority;
  /** Rule defaults, package defaults, the target and its platform overrides, merged. */
  attrs: Record<string, unknown>;
  platform: { name: string; settings: Record<string, unknown>; profileDigest?: string };
  /** Declared sources by workspace-relative path and digest. */
  srcs: SourceRef[];
  deps: DepInfo[];
  /** The transitive closure for rules that read it (bundles); `deps` otherwise. */
  closure: DepInfo[];
  /**
   * The files the rule read through `readFile` last time, with their digests now (or `absent`):
   * what a remote executor must stage. Covered by the second-level (result) key, not the first.
   */
  discovered: DiscoveredDigests;
  /** Tool identities (package@version, executable digest) the rule uses, by tool name. */
  tools: Record<string, string>;
}

/**
 * What of a dependency a dependent's key covers: its whole DepInfo (outputs with digests and
 * meta), hashed so a bundle's key over a closure of thousands stays small.
 */
export function depKeyText(dep: DepInfo): string {
  return keyHash(canonicalJson(dep));
}

/**
 * First-level action key of a unit: every field except `rule.module` (where it is loaded from)
 * and `discovered` (the second level). A dependency's contribution can be passed in precomputed
 * (`depText`), since a bundle's closure repeats the same DepInfo in every dependent's key.
 */
export function actionKey(unit: ActionUnit, depText: (dep: DepInfo) => string = depKeyText): string {
  const deps = unit.deps.map(depText);
  const closure = unit.closure.map(depText);
  const closureIsDeps = closure.length === deps.length && closure.every((text, i) => text === deps[i]);
  const text = [
    // v4: output records carry their parts with digests (src/format/part.ts); older entries are misses
    'kiln-action-v4',
    unit.label,
    unit.pkg,
    unit.pkgDir,
    unit.name,
    unit.assetId,
    `${unit.rule.name}@${unit.rule.version}`,
    unit.priority,
    canonicalJson(unit.attrs),
    unit.platform.name,
    canonicalJson(unit.platform.settings),
    // Only bundles get the profile digest; appending it only then keeps every other key unchanged.
    ...(unit.platform.profileDigest !== undefined ? [`profile ${unit.platform.profileDigest}`] : []),
    JSON.stringify(unit.srcs.map((src) => [src.path, src.digest.hash, src.digest.size])),
    JSON.stringify(deps),
    closureIsDeps ? '=deps' : JSON.stringify(closure),
    canonicalJson(unit.tools),
  ].join('\u0000');
  return keyHash(text);
}

/** Both levels: the unit's digest is exactly what the action cache is keyed by. */
export function unitKeys(unit: ActionUnit, depText?: (dep: DepInfo) => string): { primary: string; result: string } {
  const primary = actionKey(unit, depText);
  return { primary, result: resultKey(primary, unit.discovered) };
}
