/** A DiskStore in memory: tests, and hosts that want the disk cache's logic without persistence. */
import type { DiskStore, StoredEntry } from './disk-store.js';

export interface MemoryStore extends DiskStore {
  /** The records themselves, so tests can corrupt or truncate them. */
  readonly records: Map<string, { bytes: Uint8Array; usedAt: number }>;
}

export function memoryStore(name = 'memory'): MemoryStore {
  const records = new Map<string, { bytes: Uint8Array; usedAt: number }>();
  return {
    name,
    records,
    async get(key, maxBytes) {
      const record = records.get(key);
      return record && record.bytes.byteLength <= maxBytes ? record.bytes.slice() : undefined;
    },
    async put(key, bytes, usedAt) {
      records.set(key, { bytes: bytes.slice(), usedAt });
    },
    async delete(key) {
      records.delete(key);
    },
    async list(): Promise<StoredEntry[]> {
      return [...records].map(([key, r]) => ({ key, size: r.bytes.byteLength, usedAt: r.usedAt }));
    },
    async touch(key, usedAt) {
      const record = records.get(key);
      if (record) record.usedAt = usedAt;
    },
    async clear() {
      records.clear();
    },
  };
}
