/**
 * A DiskStore in IndexedDB, the browser store the disk cache uses by default (chosen over Cache
 * Storage by measurement: see the README's "Disk cache" section and BENCHMARKS.md). Two object
 * stores written in one transaction: `bytes` (key → Uint8Array) and `meta` (key → size, last
 * use), so listing the cache at start-up reads a few bytes per record, not the records, and a
 * write is atomic: a tab closed mid-write leaves the old state.
 */
import type { DiskStore, StorageEstimate, StoredEntry } from './disk-store.js';

interface Meta {
  key: string;
  size: number;
  usedAt: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export function indexedDbStore(name = 'kiln-disk-cache', factory: IDBFactory = indexedDB): DiskStore {
  let db: Promise<IDBDatabase> | undefined;
  const connect = () =>
    (db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open(name, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('bytes');
        req.result.createObjectStore('meta', { keyPath: 'key' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error(`IndexedDB ${name} did not open`));
    }));
  const tx = async (mode: IDBTransactionMode, stores: string[] = ['bytes', 'meta']) => (await connect()).transaction(stores, mode);
  return {
    name: `indexeddb:${name}`,
    // IndexedDB hands a record over whole; the size check comes after (the origin wrote it, within its quota)
    async get(key, maxBytes) {
      const value: unknown = await request((await tx('readonly', ['bytes'])).objectStore('bytes').get(key));
      return value instanceof Uint8Array && value.byteLength <= maxBytes ? value : undefined;
    },
    async put(key, bytes, usedAt) {
      const t = await tx('readwrite');
      t.objectStore('bytes').put(bytes, key);
      t.objectStore('meta').put({ key, size: bytes.byteLength, usedAt } satisfies Meta);
      await done(t);
    },
    async delete(key) {
      const t = await tx('readwrite');
      t.objectStore('bytes').delete(key);
      t.objectStore('meta').delete(key);
      await done(t);
    },
    async list(): Promise<StoredEntry[]> {
      const all = (await request((await tx('readonly', ['meta'])).objectStore('meta').getAll())) as Meta[];
      return all.filter((m) => typeof m.key === 'string' && Number.isSafeInteger(m.size) && typeof m.usedAt === 'number').map((m) => ({ key: m.key, size: m.size, usedAt: m.usedAt }));
    },
    async touch(key, usedAt) {
      const t = await tx('readwrite', ['meta']);
      const meta = t.objectStore('meta');
      const found = (await request(meta.get(key))) as Meta | undefined;
      if (found) meta.put({ ...found, usedAt });
      await done(t);
    },
    async clear() {
      const t = await tx('readwrite');
      t.objectStore('bytes').clear();
      t.objectStore('meta').clear();
      await done(t);
    },
    estimate: browserEstimate,
    persist: browserPersist,
    async close() {
      if (db) (await db).close();
      db = undefined;
    },
  };
}

/** `navigator.storage.estimate()` where the host has it. */
export async function browserEstimate(): Promise<StorageEstimate | undefined> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage?.estimate) return undefined;
  const { usage, quota } = await storage.estimate();
  return usage === undefined || quota === undefined ? undefined : { usage, quota };
}

/** `navigator.storage.persist()` where the host has it. */
export async function browserPersist(): Promise<boolean> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  return storage?.persist ? storage.persist() : false;
}
