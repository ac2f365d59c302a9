import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { decodeNode, encodeNode } from './node-codec.js';
import type { StoredNode, TrackerStore } from './tracker-store.js';

/** Bumped when the stored node shape changes: nodes of another schema live in another named database and are never misread. */
// 4: stored action values hold output records with part digests (src/format/part.ts).
const SCHEMA = 4;

/**
 * The request graph in LMDB (lmdb-js, Parcel's cache store): one memory-mapped B+tree file under
 * `.kiln/state/`. Why LMDB: every commit is a copy-on-write tree plus one meta-page flip, so a
 * `kill -9` at any point leaves the last committed transaction intact; writers from several
 * processes are serialised by LMDB's single-writer lock while readers never block, so concurrent
 * builds on one cache each see a consistent tree and every node they write is whole. Nodes
 * verify themselves against the fingerprints of their dependencies, so any interleaving of two
 * builds' writes stays correct: a node that no longer matches what it depended on is re-run.
 *
 * The store is an accelerator: an unreadable or foreign database is deleted and rebuilt (the
 * action cache and CAS beside it still hold every result). LMDB trusts its file — a garbage file
 * can crash the process inside the native library — so the meta page's magic and format version
 * are checked before it is opened. (Corruption deeper inside a file whose meta page is intact
 * cannot come from a crash, only from someone writing into it; that is not detected.)
 */
export class LmdbTrackerStore implements TrackerStore {
  private constructor(
    private readonly root: RootDatabase,
    private readonly nodes: Database<Buffer, string>,
  ) {}

  static open(stateDir: string): LmdbTrackerStore {
    mkdirSync(stateDir, { recursive: true });
    const path = join(stateDir, 'engine.mdb');
    if (!looksLikeLmdb(path)) {
      rmSync(path, { force: true });
      rmSync(`${path}-lock`, { force: true });
    }
    try {
      return LmdbTrackerStore.openAt(path);
    } catch {
      // A torn or foreign file (not an LMDB environment): start over.
      rmSync(path, { force: true });
      rmSync(`${path}-lock`, { force: true });
      return LmdbTrackerStore.openAt(path);
    }
  }

  private static openAt(path: string): LmdbTrackerStore {
    const root = open({ path, compression: false, noSubdir: true, maxDbs: 4 });
    // Bytes in, bytes out: nodes are encoded by node-codec.ts (JSON, decoded fast by V8).
    return new LmdbTrackerStore(root, root.openDB<Buffer, string>({ name: `nodes-${SCHEMA}`, encoding: 'binary' }));
  }

  get(id: string): StoredNode | undefined {
    // The fast variant hands out a buffer reused by the next read: decoded before that.
    const bytes = this.nodes.getBinaryFast(id);
    return bytes === undefined ? undefined : decodeNode(bytes);
  }

  putMany(nodes: ReadonlyMap<string, StoredNode>): void {
    if (nodes.size === 0) return;
    // Fault injection for the crash-safety test: die by SIGKILL halfway through the write
    // transaction, the worst moment for a store that is not transactional.
    const killAt = process.env.KILN_FAULT === 'kill-during-state-write' ? Math.floor(nodes.size / 2) : -1;
    let written = 0;
    this.nodes.transactionSync(() => {
      for (const [id, node] of nodes) {
        if (written++ === killAt) process.kill(process.pid, 'SIGKILL');
        this.nodes.putSync(id, encodeNode(node));
      }
    });
  }

  *scan(prefix: string): Iterable<[string, StoredNode]> {
    for (const { key, value } of this.nodes.getRange({ start: prefix })) {
      if (!key.startsWith(prefix)) break;
      yield [key, decodeNode(value)];
    }
  }

  close(): void {
    this.root.close();
  }
}

/** LMDB's meta page: magic 0xBEEFC0DE at byte 24 of page 0, then the data format version (2). */
const MAGIC = 0xbeefc0de;
const FORMAT = 2;

function looksLikeLmdb(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined || stat.size === 0) return true;
  // Another build may be creating the file right now: a short or zero header is only garbage
  // once it has stayed that way for a while.
  const settled = Date.now() - stat.mtimeMs > 10_000;
  if (stat.size < 8192) return !settled;
  const head = Buffer.alloc(32);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 32, 0);
  } finally {
    closeSync(fd);
  }
  const magic = head.readUInt32LE(24);
  if (magic === 0 && head.readUInt32LE(28) === 0) return !settled;
  return magic === MAGIC && head.readUInt32LE(28) === FORMAT;
}
