import { type Database } from 'lmdb';
import { type LmdbEnvironment, openLmdbEnvironment } from '../../store/lmdb-environment.js';
import { decodeNode, encodeNode } from './node-codec.js';
import type { StoredNode, TrackerStore } from './tracker-store.js';

/** Bumped when the stored node shape changes: nodes of another schema live in another named database and are never misread. */
// 4: stored action values hold output records with part digests (src/format/part.ts).
const SCHEMA = 4;

/** The named database of request-graph nodes inside the cache folder's environment. */
export const NODES_DB = `nodes-${SCHEMA}`;

/**
 * The request graph in the cache folder's one LMDB environment (`.kiln/state/engine.mdb`, shared
 * with the local action cache and small blobs, see store/lmdb-environment.ts): a named database
 * of nodes. Every commit is copy-on-write plus a meta-page flip, so a `kill -9` at any point
 * leaves the last committed transaction intact; writers from several processes are serialised by
 * LMDB's single-writer lock while readers never block, so concurrent builds each see a
 * consistent tree and every node they write is whole. Nodes verify themselves against the
 * fingerprints of their dependencies, so any interleaving of two builds' writes stays correct: a
 * node that no longer matches what it depended on is re-run.
 */
export class LmdbTrackerStore implements TrackerStore {
  private constructor(
    private readonly env: LmdbEnvironment,
    private readonly nodes: Database<Buffer, string>,
  ) {}

  static open(stateDir: string): LmdbTrackerStore {
    const env = openLmdbEnvironment(stateDir);
    // Bytes in, bytes out: nodes are encoded by node-codec.ts (JSON, decoded fast by V8).
    return new LmdbTrackerStore(env, env.database(NODES_DB));
  }

  get(id: string): StoredNode | undefined {
    // The fast variant hands out a buffer reused by the next read: decoded before that.
    const bytes = this.nodes.getBinaryFast(id);
    return bytes === undefined ? undefined : decodeNode(bytes);
  }

  empty(): boolean {
    for (const _key of this.nodes.getKeys({ limit: 1 })) return false;
    return true;
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
    this.env.release();
  }
}
