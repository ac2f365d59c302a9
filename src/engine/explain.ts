import { canonicalJson } from '../hash/canonical-json.js';
import type { DiscoveredDigests, KeyInputs } from './key-inputs.js';

/**
 * Why an action ran: the differences between the inputs of its last build and this one,
 * in words a user can act on.
 */
export function explainChange(
  previous: { inputs: KeyInputs; discovered: DiscoveredDigests } | undefined,
  current: KeyInputs,
  discovered: DiscoveredDigests | undefined,
): string[] {
  if (!previous) return ['not built before on this machine for this platform (and not in the cache)'];
  const reasons: string[] = [];
  const before = previous.inputs;
  if (before.rule !== current.rule) reasons.push(`rule changed: ${before.rule} → ${current.rule}`);
  if (before.priority !== current.priority) reasons.push(`priority changed: ${before.priority} → ${current.priority}`);
  for (const key of unionKeys(before.attrs, current.attrs)) {
    const a = canonicalJson(before.attrs[key]);
    const b = canonicalJson(current.attrs[key]);
    if (a !== b) reasons.push(`attribute ${key} changed: ${a ?? 'unset'} → ${b ?? 'unset'}`);
  }
  for (const key of unionKeys(before.platform, current.platform)) {
    const a = canonicalJson(before.platform[key]);
    const b = canonicalJson(current.platform[key]);
    if (a !== b) reasons.push(`platform setting ${key} changed: ${a ?? 'unset'} → ${b ?? 'unset'}`);
  }
  // State written before tools joined the key has none: every tool then reads as added.
  const toolsBefore = before.tools ?? {};
  for (const tool of unionKeys(toolsBefore, current.tools)) {
    if (toolsBefore[tool] !== current.tools[tool]) reasons.push(`tool ${tool} changed: ${toolsBefore[tool] ?? 'unused'} → ${current.tools[tool] ?? 'unused'}`);
  }
  for (const path of unionKeys(before.srcs, current.srcs)) {
    if (!(path in before.srcs)) reasons.push(`source added: ${path}`);
    else if (!(path in current.srcs)) reasons.push(`source removed: ${path}`);
    else if (before.srcs[path] !== current.srcs[path]) reasons.push(`source changed: ${path}`);
  }
  for (const label of unionKeys(before.deps, current.deps)) {
    if (!(label in before.deps)) reasons.push(`dependency added: ${label}`);
    else if (!(label in current.deps)) reasons.push(`dependency removed: ${label}`);
    else if (canonicalJson(before.deps[label]) !== canonicalJson(current.deps[label])) reasons.push(`dependency output changed: ${label}`);
  }
  if (discovered) {
    for (const path of unionKeys(previous.discovered, discovered)) {
      if (previous.discovered[path] !== discovered[path]) {
        reasons.push(discovered[path] === 'absent' ? `discovered input removed: ${path}` : `discovered input changed: ${path}`);
      }
    }
  }
  if (reasons.length === 0) reasons.push('inputs unchanged, but no cached result was found (cache cleaned or evicted)');
  return reasons;
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
