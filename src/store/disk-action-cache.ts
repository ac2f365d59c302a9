import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionCache } from './action-cache.js';
import { type ActionEntry, isActionEntry } from './action-entry.js';
import { atomicWrite } from './atomic-write.js';

/** `.kiln/ac/<first two hex>/<key>` holding the entry as JSON. */
export class DiskActionCache implements ActionCache {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    return join(this.root, key.slice(0, 2), key);
  }

  /** Entries are small: synchronous reads beat a thread-pool round trip per lookup. */
  async get(key: string): Promise<ActionEntry | undefined> {
    const path = this.pathOf(key);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry: unknown = JSON.parse(text);
      if (!isActionEntry(entry)) return undefined;
      const now = new Date();
      try {
        utimesSync(path, now, now);
      } catch {
        // Removed by a GC since the read: the entry we hold is still valid.
      }
      return entry;
    } catch {
      return undefined;
    }
  }

  async put(key: string, entry: ActionEntry): Promise<void> {
    await atomicWrite(this.pathOf(key), JSON.stringify(entry));
  }
}
