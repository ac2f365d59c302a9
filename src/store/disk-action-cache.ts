import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionCache } from './action-cache.js';
import { type ActionEntry, parseActionEntry } from './action-entry.js';
import { atomicWrite } from './atomic-write.js';
import type { InvalidEntryLog } from './invalid-entry-log.js';

const ACTION_KEY = /^[0-9a-zA-Z_-]{1,128}$/;

/**
 * `.kiln/ac/<first two hex>/<key>` holding the entry as JSON. Every entry read is parsed strictly
 * (`parseActionEntry`): an entry anyone edited or a disk damaged is a miss, recorded in `invalid`.
 */
export class DiskActionCache implements ActionCache {
  constructor(
    readonly root: string,
    private readonly invalid?: InvalidEntryLog,
  ) {}

  private pathOf(key: string): string {
    // Keys are hex from the engine; refusing anything else keeps a key from naming a path.
    if (!ACTION_KEY.test(key)) throw new Error(`invalid action key ${JSON.stringify(key)}`);
    return join(this.root, key.slice(0, 2), key);
  }

  /** Entries are small: synchronous reads beat a thread-pool round trip per lookup. */
  async get(key: string): Promise<ActionEntry | undefined> {
    if (!ACTION_KEY.test(key)) return undefined;
    const path = this.pathOf(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    const entry = parseActionEntry(bytes);
    if (!entry) {
      this.invalid?.record('local', key);
      return undefined;
    }
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // Removed by a GC since the read: the entry we hold is still valid.
    }
    return entry;
  }

  async put(key: string, entry: ActionEntry): Promise<void> {
    await atomicWrite(this.pathOf(key), JSON.stringify(entry));
  }
}
