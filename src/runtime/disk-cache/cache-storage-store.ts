/**
 * A DiskStore in the browser's Cache Storage API (what service workers use), kept as the
 * alternative to IndexedDB: one synthetic response per record, size and last use in headers.
 * A last use cannot be updated without rewriting the record, so `touch` does nothing here: LRU
 * order across sessions is the order records were written.
 */
import type { DiskStore, StoredEntry } from './disk-store.js';
import { browserEstimate, browserPersist } from './indexeddb-store.js';

const BASE = 'https://kiln-disk-cache.invalid/';

export function cacheStorageStore(name = 'kiln-disk-cache', storage: CacheStorage = caches): DiskStore {
  const open = () => storage.open(name);
  return {
    name: `cache-storage:${name}`,
    async get(key, maxBytes) {
      const response = await (await open()).match(BASE + key);
      if (!response || Number(response.headers.get('x-kiln-size')) > maxBytes) return undefined;
      const bytes = new Uint8Array(await response.arrayBuffer());
      return bytes.byteLength <= maxBytes ? bytes : undefined;
    },
    async put(key, bytes, usedAt) {
      const body = new Uint8Array(bytes);
      await (await open()).put(BASE + key, new Response(body, { headers: { 'x-kiln-size': String(bytes.byteLength), 'x-kiln-used': String(usedAt) } }));
    },
    async delete(key) {
      await (await open()).delete(BASE + key);
    },
    async list(): Promise<StoredEntry[]> {
      const cache = await open();
      const out: StoredEntry[] = [];
      for (const req of await cache.keys()) {
        const response = await cache.match(req);
        const size = Number(response?.headers.get('x-kiln-size'));
        const usedAt = Number(response?.headers.get('x-kiln-used'));
        if (!req.url.startsWith(BASE) || !Number.isSafeInteger(size)) continue;
        out.push({ key: req.url.slice(BASE.length), size, usedAt: Number.isFinite(usedAt) ? usedAt : 0 });
      }
      return out;
    },
    async touch() {},
    async clear() {
      await storage.delete(name);
    },
    estimate: browserEstimate,
    persist: browserPersist,
  };
}
