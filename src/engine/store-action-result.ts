import type { ActionCache } from '../store/action-cache.js';
import type { ResultEntry } from '../store/action-entry.js';

/**
 * Write a successful action to the action cache: when the rule discovered nothing, one entry
 * under the primary key is the whole answer; otherwise the result goes in under its second-level
 * key *before* the manifest that leads to it, so a reader never follows a manifest to nothing.
 */
export async function storeActionResult(actions: ActionCache, primary: string, result: string, discovered: readonly string[], entry: ResultEntry): Promise<void> {
  if (discovered.length === 0) {
    await actions.put(primary, entry);
    return;
  }
  await actions.put(result, entry);
  await actions.put(primary, { kind: 'manifest', discovered: [...discovered] });
}
