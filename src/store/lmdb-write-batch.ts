import type { Database } from 'lmdb';
import type { LmdbEnvironment } from './lmdb-environment.js';

/** Above this many bytes waiting for a commit, writers wait for it (bounded memory). */
const BACKPRESSURE_BYTES = 64 * 1024 * 1024;

type Ops = Map<Database<Buffer, string>, Map<string, Buffer | null>>;

/**
 * Cache writes of one process, committed in batches: every write joins the batch of the current
 * event-loop turn, and a batch is one LMDB transaction committed (and synced to disk) off the main
 * thread by lmdb-js. A `kill -9` therefore loses at most the batches not yet committed (the last
 * milliseconds of a build's writes), never part of one: a blob and the entry naming it, written in
 * that order, are committed together or the blob first. Until its batch commits, a write is read
 * back from here, so a build always sees its own writes.
 */
export class LmdbWriteBatch {
  #pending: Ops = new Map();
  /** The batch being committed right now (taken from `#pending`, not yet visible in LMDB). */
  #committing: Ops | undefined;
  #bytes = 0;
  #scheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown;

  constructor(private readonly env: LmdbEnvironment) {}

  /** A write not yet committed: its bytes, `null` for a pending removal, `undefined` for none. */
  pending(db: Database<Buffer, string>, key: string): Buffer | null | undefined {
    const fresh = this.#pending.get(db)?.get(key);
    if (fresh !== undefined) return fresh;
    return this.#committing?.get(db)?.get(key);
  }

  put(db: Database<Buffer, string>, key: string, bytes: Buffer): void {
    this.#op(db, key, bytes);
  }

  remove(db: Database<Buffer, string>, key: string): void {
    this.#op(db, key, null);
  }

  /** Resolves once writers may go on: at once, unless too many bytes wait for a commit. */
  async settle(): Promise<void> {
    if (this.#bytes <= BACKPRESSURE_BYTES) return;
    // Commit now rather than at the next turn: a writer awaiting only promises never yields one.
    if (this.#pending.size > 0) this.#enqueue();
    await this.#chain;
  }

  /** Commit everything written so far; rejects with the first failed commit's error. */
  async flush(): Promise<void> {
    if (this.#pending.size > 0) this.#enqueue();
    await this.#chain;
    if (this.#error !== undefined) {
      const error = this.#error;
      this.#error = undefined;
      throw error;
    }
  }

  #op(db: Database<Buffer, string>, key: string, value: Buffer | null): void {
    let ops = this.#pending.get(db);
    if (!ops) {
      ops = new Map();
      this.#pending.set(db, ops);
    }
    // Counted as the batch will write it: a value replaced before its commit no longer counts.
    this.#bytes += (value?.byteLength ?? 0) - (ops.get(key)?.byteLength ?? 0);
    ops.set(key, value);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#pending.size > 0) this.#enqueue();
    });
  }

  #enqueue(): void {
    this.#chain = this.#chain.then(() => this.#commit());
  }

  async #commit(): Promise<void> {
    const ops = this.#pending;
    if (ops.size === 0) return;
    this.#pending = new Map();
    this.#committing = ops;
    let bytes = 0;
    for (const byKey of ops.values()) for (const value of byKey.values()) bytes += value?.byteLength ?? 0;
    let total = 0;
    for (const byKey of ops.values()) total += byKey.size;
    // Fault injection for the crash-safety test: SIGKILL in the middle of the first transaction
    // that writes more than one record.
    const kill = process.env.KILN_FAULT === 'kill-during-cache-commit' && total > 1;
    try {
      await this.env.root.transaction(() => {
        let written = 0;
        for (const [db, byKey] of ops) {
          for (const [key, value] of byKey) {
            if (kill && written++ === Math.floor(total / 2)) process.kill(process.pid, 'SIGKILL');
            if (value === null) db.removeSync(key);
            else db.putSync(key, value);
          }
        }
      });
    } catch (error) {
      // The batch is lost (a cache: its records become misses); the build hears of it at flush.
      this.#error ??= error;
    } finally {
      this.#committing = undefined;
      this.#bytes -= bytes;
    }
  }
}
