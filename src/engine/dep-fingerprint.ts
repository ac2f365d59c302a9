import { canonicalJson } from '../hash/canonical-json.js';
import { digestKey, sha256Hex } from '../hash/digest.js';
import type { DepInfo } from '../rule/context.js';

/**
 * What of a dependency can influence a dependent: output digests plus everything else DepInfo shows
 * (parts included: a bundle's index lists them, and equal bytes may be cut into parts differently).
 */
export function depFingerprint(dep: DepInfo): string[] {
  const rest = sha256Hex(canonicalJson({ type: dep.type, priority: dep.priority, srcs: dep.srcs, deps: dep.deps, meta: dep.outputs.map((o) => [o.name, o.meta, o.parts]) }));
  return [...dep.outputs.map((o) => digestKey(o.digest)), `info:${rest}`];
}
