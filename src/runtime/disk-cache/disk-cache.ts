/**
 * The persistent tier below the memory cache: content-addressed records in a DiskStore, every
 * read verified against the digest in its key (a corrupt or truncated record is dropped and the
 * caller fetches again), writes in the background and serialised (a failed write is counted,
 * never thrown at a load), a byte budget with LRU eviction that takes unreferenced records first
 * and never takes pinned or critical assets, and the host's quota respected.
 */
import type { IndexDigest } from '../../format/index-format.js';
import { checkDigest } from '../digest-check.js';
import { RuntimeError } from '../runtime-error.js';
import { CONTENT_PREFIX, contentKey } from './cache-key.js';
import type { DiskStore, StorageEstimate } from './disk-store.js';

export interface DiskCacheOptions {
  store: DiskStore;
  /** Bytes this cache may hold (default 512 MiB). The host's quota may lower it further. */
  budget?: number;
  /** Ask the host to keep this storage under pressure (`navigator.storage.persist()`); the game opts in. */
  persist?: boolean;
  /** Share of the origin's remaining quota the cache may fill (default 0.8). */
  quotaShare?: number;
  /** Wall-clock milliseconds for LRU order across sessions (default `Date.now`). */
  now?: () => number;
  /** Bytes of background writes allowed to wait for a slow store (default 64 MiB); past that, writes are skipped. */
  maxPendingBytes?: number;
}

export interface DiskCacheMetrics {
  /** Reads answered by the disk cache (each verified). */
  hits: number;
  /** Reads the disk cache could not answer (absent, or dropped as corrupt). */
  misses: number;
  /** Bytes that did not come from the source because the disk cache had them. */
  bytesSaved: number;
  /** Bytes written to the store. */
  bytesStored: number;
  evictions: number;
  /** Records that failed verification and were dropped. */
  corruptDropped: number;
  /** Writes the store refused (full disk, quota); loads went on. */
  writeFailures: number;
  /** Writes skipped because the record could not fit the budget or quota. */
  writesSkipped: number;
  entries: number;
  usedBytes: number;
  /** The byte budget in force (the configured one, lowered by the host's quota). */
  budget: number;
  /** Whether the host granted persistence (undefined: not asked, or no such API). */
  persisted?: boolean;
}

interface Record {
  size: number;
  usedAt: number;
}

/** Keys an owner uses that take a read to know (a catalog's bundles' records, from their kept index blocks). */
export interface LaterReferences {
  keys: Iterable<string>;
  critical: Iterable<string>;
}

const DEFAULT_BUDGET = 512 << 20;
/** Evicting to 90% leaves room for the next writes instead of evicting once per write. */
const EVICT_TO = 0.9;
/** A hit re-stamps its record at most this often (a touch is a write to the store). */
const TOUCH_EVERY_MS = 10_000;
/** The quota is asked again after this many bytes written. */
const QUOTA_EVERY_BYTES = 32 << 20;

export class DiskCache {
  readonly store: DiskStore;
  private readonly configuredBudget: number;
  private budget: number;
  private readonly quotaShare: number;
  private readonly now: () => number;
  private readonly persistWanted: boolean;
  private readonly records = new Map<string, Record>();
  private used = 0;
  private opened: Promise<void> | undefined;
  private writes: Promise<void> = Promise.resolve();
  private readonly pending = new Set<Promise<void>>();
  private pendingBytes = 0;
  private readonly maxPendingBytes: number;
  private readonly reading = new Map<string, Promise<Uint8Array | undefined>>();
  private sinceQuota = 0;
  /** Keys each open catalog or bundle references (owner → keys). */
  private readonly references = new Map<string, Set<string>>();
  /** Keys of critical assets of the open catalogs (never evicted). */
  private readonly critical = new Map<string, Set<string>>();
  /** Owners whose full reference sets are read only when an eviction needs them (owner → resolver). */
  private readonly later = new Map<string, () => Promise<LaterReferences>>();
  /** Keys per asset id, so a pinned asset's records stay. */
  private readonly assetKeys = new Map<string, Set<string>>();
  private isPinned: (assetId: string) => boolean = () => false;
  private readonly counts = { hits: 0, misses: 0, bytesSaved: 0, bytesStored: 0, evictions: 0, corruptDropped: 0, writeFailures: 0, writesSkipped: 0 };
  private persisted: boolean | undefined;

  constructor(options: DiskCacheOptions) {
    this.store = options.store;
    this.configuredBudget = options.budget ?? DEFAULT_BUDGET;
    this.budget = this.configuredBudget;
    this.quotaShare = options.quotaShare ?? 0.8;
    this.now = options.now ?? (() => Date.now());
    this.persistWanted = options.persist ?? false;
    this.maxPendingBytes = options.maxPendingBytes ?? 64 << 20;
  }

  /** Lists the store (once) and asks the host for its quota and, when wanted, persistence. */
  ready(): Promise<void> {
    return (this.opened ??= this.open());
  }

  private async open(): Promise<void> {
    for (const entry of await this.store.list()) {
      this.records.set(entry.key, { size: entry.size, usedAt: entry.usedAt });
      this.used += entry.size;
    }
    if (this.persistWanted && this.store.persist) this.persisted = await this.store.persist().catch(() => false);
    await this.refreshQuota();
  }

  /** Lets the memory cache's pins protect the records of pinned assets too (the loader wires this). */
  attachPins(isPinned: (assetId: string) => boolean): void {
    this.isPinned = isPinned;
  }

  /**
   * Verified bytes of `digest`: from the store when it holds them intact, else from `read` (the
   * source), checked, returned, and written to the store in the background. A source that is
   * unreachable gives an `offline` error naming what is missing.
   */
  async readThrough(digest: IndexDigest, what: string, read: () => Promise<Uint8Array>): Promise<Uint8Array> {
    return (await this.get(digest, what)) ?? this.fetch(digest, what, read);
  }

  /** The source half of `readThrough`: read, verify, keep in the background. */
  async fetch(digest: IndexDigest, what: string, read: () => Promise<Uint8Array>): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await read();
    } catch (error) {
      if (error instanceof RuntimeError && error.code === 'offline') throw new RuntimeError('offline', `${what} is not in the disk cache and the source is offline (${error.message})`);
      throw error;
    }
    await checkDigest(bytes, digest.hash, what, digest.size);
    this.putInBackground(digest, bytes);
    return bytes;
  }

  /** Verified bytes from the store, or undefined (absent, or corrupt and now dropped). Counts a hit or a miss. */
  async get(digest: IndexDigest, what: string): Promise<Uint8Array | undefined> {
    const key = contentKey(digest);
    // concurrent reads of one record (identical mips of several textures) share one read and one check
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.readVerified(key, digest, what).finally(() => this.reading.delete(key));
      this.reading.set(key, reading);
    }
    const bytes = await reading;
    if (bytes) {
      this.counts.hits++;
      this.counts.bytesSaved += bytes.byteLength;
    } else {
      this.counts.misses++;
    }
    return bytes;
  }

  private async readVerified(key: string, digest: IndexDigest, what: string): Promise<Uint8Array | undefined> {
    // a record can only be right at exactly its digest's size: nothing bigger is ever read in
    const bytes = await this.store.get(key, digest.size).catch(() => undefined);
    if (!bytes) return undefined;
    try {
      await checkDigest(bytes, digest.hash, `disk cache ${what}`, digest.size);
    } catch (error) {
      if (!(error instanceof RuntimeError) || error.code !== 'corrupt') throw error;
      this.counts.corruptDropped++;
      await this.drop(key);
      return undefined;
    }
    this.touch(key);
    return bytes;
  }

  /** Whether the store holds a record for `digest` (not verified: `get` does that). */
  async has(digest: IndexDigest): Promise<boolean> {
    await this.ready();
    return this.records.has(contentKey(digest));
  }

  /** Writes verified bytes without waiting; the load that fetched them never sees a failure. */
  putInBackground(digest: IndexDigest, bytes: Uint8Array): void {
    // a store slower than the network must not make the queue hold the whole game in memory
    if (this.pendingBytes + bytes.byteLength > this.maxPendingBytes) {
      this.counts.writesSkipped++;
      return;
    }
    this.pendingBytes += bytes.byteLength;
    const job = this.put(digest, bytes).then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(job);
    void job.finally(() => {
      this.pending.delete(job);
      this.pendingBytes -= bytes.byteLength;
    });
  }

  /** Writes verified bytes now; false when skipped (no room) or refused by the store. */
  put(digest: IndexDigest, bytes: Uint8Array): Promise<boolean> {
    return this.putRecord(contentKey(digest), bytes);
  }

  /** A named record (bundle index, last catalog) of at most `maxBytes`: the caller verifies what it reads back. */
  async getRecord(key: string, maxBytes: number): Promise<Uint8Array | undefined> {
    const bytes = await this.store.get(key, maxBytes).catch(() => undefined);
    if (bytes) this.touch(key);
    return bytes;
  }

  putRecord(key: string, bytes: Uint8Array): Promise<boolean> {
    // one write at a time keeps the byte accounting exact and the store's load small
    const run = this.writes.then(() => this.write(key, bytes));
    this.writes = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Removes a record that failed verification (or is no longer wanted). */
  async drop(key: string): Promise<void> {
    await this.ready();
    const record = this.records.get(key);
    if (record) {
      this.records.delete(key);
      this.used -= record.size;
    }
    await this.store.delete(key).catch(() => undefined);
  }

  /**
   * Declares the records an open catalog or bundle (`owner`) uses; `critical` ones are never
   * evicted. `later` names more of them at a cost (reading kept index blocks): it runs only when
   * an eviction is about to choose, so nothing the owner uses is taken for unreferenced.
   */
  reference(owner: string, keys: Iterable<string>, critical: Iterable<string> = [], later?: () => Promise<LaterReferences>): void {
    this.references.set(owner, new Set(keys));
    this.critical.set(owner, new Set(critical));
    if (later) this.later.set(owner, later);
    else this.later.delete(owner);
  }

  /** Forgets what `owner` (and every owner under `owner#…`) referenced. */
  release(owner: string): void {
    for (const map of [this.references, this.critical, this.later]) {
      for (const key of [...map.keys()]) if (key === owner || key.startsWith(`${owner}#`)) map.delete(key);
    }
  }

  /** Records which keys make up an asset, so pinning the asset keeps them. */
  describeAsset(assetId: string, keys: Iterable<string>): void {
    this.assetKeys.set(assetId, new Set(keys));
  }

  /** Waits for every background write started so far. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Empties the store (after pending writes finish). */
  async clear(): Promise<void> {
    await this.flush();
    await this.ready();
    await this.writes;
    await this.store.clear();
    this.records.clear();
    this.used = 0;
  }

  metrics(): DiskCacheMetrics {
    return { ...this.counts, entries: this.records.size, usedBytes: this.used, budget: this.budget, ...(this.persisted === undefined ? {} : { persisted: this.persisted }) };
  }

  async close(): Promise<void> {
    await this.flush();
    await this.store.close?.();
  }

  private touch(key: string): void {
    const record = this.records.get(key);
    const now = this.now();
    if (record && now - record.usedAt < TOUCH_EVERY_MS) return;
    if (record) record.usedAt = now;
    void this.store.touch(key, now).catch(() => undefined);
  }

  private async write(key: string, bytes: Uint8Array): Promise<boolean> {
    await this.ready();
    const existing = this.records.get(key);
    // a content record with this key already holds these bytes (reads verify it); a named record (catalog) is replaced
    if (existing && key.startsWith(CONTENT_PREFIX) && existing.size === bytes.byteLength) return true;
    if (this.sinceQuota >= QUOTA_EVERY_BYTES) await this.refreshQuota();
    const size = bytes.byteLength;
    if (!(await this.makeRoom(size, key, existing?.size ?? 0))) {
      this.counts.writesSkipped++;
      return false;
    }
    // a view into a bigger buffer (one range request for many entries) would store all of it
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    const usedAt = this.now();
    try {
      await this.store.put(key, own, usedAt);
    } catch {
      this.counts.writeFailures++;
      return false;
    }
    if (existing) this.used -= existing.size;
    this.records.set(key, { size, usedAt });
    this.used += size;
    this.counts.bytesStored += size;
    this.sinceQuota += size;
    return true;
  }

  /**
   * Evicts until `size` more bytes fit the budget; unreferenced records go first, then least
   * recently used. `replacing` is the size of the record `incoming` overwrites (a named record such
   * as the kept catalog): its bytes are freed by the write itself, so they need no room.
   */
  private async makeRoom(size: number, incoming: string, replacing: number): Promise<boolean> {
    if (size > this.budget) return false;
    if (this.used - replacing + size <= this.budget) return true;
    await this.resolveLater();
    const keep = this.protectedKeys();
    const referenced = new Set<string>();
    for (const keys of this.references.values()) for (const k of keys) referenced.add(k);
    const victims = [...this.records]
      .filter(([key]) => key !== incoming && !keep.has(key))
      .sort(([a, ra], [b, rb]) => Number(referenced.has(a)) - Number(referenced.has(b)) || ra.usedAt - rb.usedAt);
    const target = Math.max(this.budget * EVICT_TO - size, 0);
    for (const [key] of victims) {
      if (this.used - replacing <= target) break;
      await this.drop(key);
      this.counts.evictions++;
    }
    return this.used - replacing + size <= this.budget;
  }

  /** Runs the deferred reference resolvers, adding what they name to their owners' sets (a failing one adds nothing). */
  private async resolveLater(): Promise<void> {
    for (const [owner, resolve] of [...this.later]) {
      this.later.delete(owner);
      const keys = this.references.get(owner);
      const critical = this.critical.get(owner);
      const found = await resolve().catch(() => undefined);
      // the owner may have been released or re-declared while its records were read
      if (!found || !keys || !critical || this.references.get(owner) !== keys) continue;
      for (const k of found.keys) keys.add(k);
      for (const k of found.critical) critical.add(k);
    }
  }

  private protectedKeys(): Set<string> {
    const keep = new Set<string>();
    for (const keys of this.critical.values()) for (const k of keys) keep.add(k);
    for (const [id, keys] of this.assetKeys) if (this.isPinned(id)) for (const k of keys) keep.add(k);
    return keep;
  }

  /** Lowers the budget to what the host's quota leaves (others' storage on the origin counts against it). */
  private async refreshQuota(): Promise<void> {
    this.sinceQuota = 0;
    const estimate: StorageEstimate | undefined = await this.store.estimate?.().catch(() => undefined);
    if (!estimate || !Number.isFinite(estimate.quota) || estimate.quota <= 0) {
      this.budget = this.configuredBudget;
      return;
    }
    const othersUse = Math.max(estimate.usage - this.used, 0);
    const allowed = Math.max(estimate.quota * this.quotaShare - othersUse, 0);
    this.budget = Math.min(this.configuredBudget, allowed);
  }
}
