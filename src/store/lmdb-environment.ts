import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';

/**
 * The one embedded store of a cache folder: `<cache>/state/engine.mdb`, an LMDB environment
 * (lmdb-js) holding the request graph, the local action cache and small blobs as named
 * databases. One environment per path per process, shared by reference count: LMDB forbids
 * opening the same file twice in one process (closing one handle would drop the other's locks).
 *
 * Why LMDB: a commit is a copy-on-write B+tree plus one meta-page flip, so a `kill -9` at any
 * point leaves the last committed transaction intact, never a torn one; writers of several
 * processes are serialised by its single-writer lock while readers never block.
 *
 * LMDB trusts its file — a garbage file can crash the process inside the native library — so
 * the meta page's magic and format version are checked before it is opened; an unreadable or
 * foreign file is deleted and the store starts empty (everything in it is a cache: a lost
 * record is a re-cook, never a wrong output).
 */
export interface LmdbEnvironment {
  readonly path: string;
  readonly root: RootDatabase;
  /** A named database of raw bytes (callers encode and verify their own values). */
  database(name: string): Database<Buffer, string>;
  /** Drop this handle; the environment closes when the last one is released. */
  release(): void;
}

interface Shared {
  root: RootDatabase;
  refs: number;
  databases: Map<string, Database<Buffer, string>>;
}

const open_ = new Map<string, Shared>();

/** Named databases in one environment: request graph, action cache, small blobs, use times, spare. */
const MAX_DBS = 8;

export function lmdbPathOf(stateDir: string): string {
  return join(stateDir, 'engine.mdb');
}

/** Open (or share) the environment under `stateDir`, creating it when missing. */
export function openLmdbEnvironment(stateDir: string): LmdbEnvironment {
  const path = resolve(lmdbPathOf(stateDir));
  let shared = open_.get(path);
  if (!shared) {
    shared = { root: openChecked(stateDir, path), refs: 0, databases: new Map() };
    open_.set(path, shared);
  }
  shared.refs++;
  const entry = shared;
  let released = false;
  return {
    path,
    root: entry.root,
    database(name) {
      let db = entry.databases.get(name);
      if (!db) {
        db = entry.root.openDB<Buffer, string>({ name, encoding: 'binary' });
        entry.databases.set(name, db);
      }
      return db;
    },
    release() {
      if (released) return;
      released = true;
      if (--entry.refs > 0) return;
      open_.delete(path);
      entry.root.close();
    },
  };
}

function openChecked(stateDir: string, path: string): RootDatabase {
  mkdirSync(stateDir, { recursive: true });
  if (!looksLikeLmdb(path)) removeStore(path);
  try {
    return openAt(path);
  } catch {
    // A torn or foreign file (not an LMDB environment): start over.
    removeStore(path);
    return openAt(path);
  }
}

/**
 * Address space reserved for the map up front (not disk: the file grows with its data). lmdb-js
 * otherwise starts at 128 KiB and doubles, keeping every outgrown map alive, and each old map's
 * resident pages stay in the process's RSS: a cold 10k build held ~95 MB of maps for a 61 MB file.
 */
const MAP_SIZE = 16 * 1024 ** 3;

function openAt(path: string): RootDatabase {
  // Bytes in, bytes out: every value is encoded (and verified on read) by its owner.
  return open({ path, compression: false, noSubdir: true, maxDbs: MAX_DBS, mapSize: MAP_SIZE });
}

function removeStore(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}-lock`, { force: true });
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

/**
 * A record's bytes without a copy, valid only until the next read of this environment: consume
 * them at once. (lmdb-js's `getBinaryFast` hands out its whole shared read buffer with `length`
 * patched to the record's size; `byteLength`, which TextDecoder and typed-array views use, is
 * the buffer's: this returns a view of exactly the record.)
 */
export function readRecord(db: Database<Buffer, string>, key: string): Buffer | undefined {
  const bytes = db.getBinaryFast(key);
  return bytes === undefined ? undefined : bytes.subarray(0, bytes.length);
}
