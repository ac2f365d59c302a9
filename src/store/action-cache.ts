import type { ActionEntry } from './action-entry.js';

/** Action key (64 hex chars, SHA-256) → entry. A corrupt or unverifiable entry is a miss, never an error. */
export interface ActionCache {
  get(key: string): Promise<ActionEntry | undefined>;
  put(key: string, entry: ActionEntry): Promise<void>;
}
