import { join } from 'node:path';
import { digestKey } from '../hash/digest.js';
import type { ActionValue } from './requests/action.js';
import { ACTION_KIND } from './requests/action.js';
import { LmdbTrackerStore } from './tracker/lmdb-tracker-store.js';

/**
 * Action keys and output digests the newest build of every target (each platform) needs, read
 * from the request graph: `kiln gc` never evicts them, so a GC cannot turn the next no-op build
 * into a rebuild.
 */
export function protectedKeys(cacheDir: string): Set<string> {
  const names = new Set<string>();
  const store = LmdbTrackerStore.open(join(cacheDir, 'state'));
  try {
    for (const [, node] of store.scan(`${ACTION_KIND}:`)) {
      const value = node.value as Partial<ActionValue> | undefined;
      if (!value?.primary || !value.result || !Array.isArray(value.outputs)) continue;
      names.add(value.primary);
      names.add(value.result);
      for (const output of value.outputs) names.add(digestKey(output.digest));
    }
  } finally {
    store.close();
  }
  return names;
}
