import { readFile, utimes } from 'node:fs/promises';
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

  async get(key: string): Promise<ActionEntry | undefined> {
    const path = this.pathOf(key);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const entry: unknown = JSON.parse(text);
      if (!isActionEntry(entry)) return undefined;
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return entry;
    } catch {
      return undefined;
    }
  }

  async put(key: string, entry: ActionEntry): Promise<void> {
    await atomicWrite(this.pathOf(key), JSON.stringify(entry));
  }
}
