/**
 * The local store's small/large threshold: per-blob cost of writing blobs of each size as LMDB
 * records (the store's batches: one transaction per 64 puts, committed off the main thread) and
 * as files (temp file + rename, what the CAS folder does), and of reading them back with the
 * SHA-256 check. "main thread" is what delays the build; "until committed" includes LMDB's
 * fsync, done by lmdb-js's writer thread.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { SMALL_BLOB_LIMIT } from '../src/store/lmdb-blob-store.js';

const SIZES = [1024, 4096, 16384, 32768, 65536, 262144];
/** Bytes written per size: enough for stable figures, small enough for a quick run. */
const VOLUME = 16 * 1024 * 1024;
const BATCH = 64;

interface Row {
  size: number;
  count: number;
  lmdbMainUs: number;
  lmdbCommittedUs: number;
  fileUs: number;
  lmdbReadUs: number;
  fileReadUs: number;
}

async function measure(root: string, size: number): Promise<Row> {
  const count = Math.max(64, Math.floor(VOLUME / size));
  const blobs = Array.from({ length: count }, () => randomBytes(size));
  const env = open({ path: join(root, `s${size}.mdb`), noSubdir: true, compression: false, maxDbs: 2 });
  const db = env.openDB<Buffer, string>({ name: 'cas', encoding: 'binary' });
  let main = 0;
  const started = performance.now();
  const commits: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += BATCH) {
    commits.push(
      env.transaction(() => {
        const t = performance.now();
        for (let j = i; j < Math.min(count, i + BATCH); j++) db.putSync(`k${j}`, blobs[j]!);
        main += performance.now() - t;
      }),
    );
  }
  await Promise.all(commits);
  const committed = performance.now() - started;
  const dir = join(root, `f${size}`);
  mkdirSync(dir);
  let t = performance.now();
  blobs.forEach((bytes, i) => {
    const path = join(dir, `k${i}`);
    writeFileSync(`${path}.tmp`, bytes);
    renameSync(`${path}.tmp`, path);
  });
  const file = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < count; i++) createHash('sha256').update(db.getBinary(`k${i}`)!).digest();
  const lmdbRead = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < count; i++) createHash('sha256').update(readFileSync(join(dir, `k${i}`))).digest();
  const fileRead = performance.now() - t;
  await env.close();
  const us = (ms: number) => (ms * 1000) / count;
  return { size, count, lmdbMainUs: us(main), lmdbCommittedUs: us(committed), fileUs: us(file), lmdbReadUs: us(lmdbRead), fileReadUs: us(fileRead) };
}

export async function bench(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'kiln-local-store-bench-'));
  try {
    const rows: Row[] = [];
    for (const size of SIZES) rows.push(await measure(root, size));
    const kib = (n: number) => `${n / 1024} KiB`;
    const f = (n: number) => n.toFixed(1);
    return [
      '### Local store: blob size threshold (`bench/local-store.bench.ts`)',
      '',
      `Per blob, µs (${VOLUME >> 20} MiB written per size; LMDB in transactions of ${BATCH} puts as the store batches them; file = write temp + rename). The store keeps blobs ≤ ${kib(SMALL_BLOB_LIMIT)} as records.`,
      '',
      '| blob size | blobs | LMDB put, main thread | LMDB put, until committed (fsync) | file put | LMDB get + sha256 | file read + sha256 |',
      '|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${kib(r.size)} | ${r.count} | ${f(r.lmdbMainUs)} | ${f(r.lmdbCommittedUs)} | ${f(r.fileUs)} | ${f(r.lmdbReadUs)} | ${f(r.fileReadUs)} |`),
    ].join('\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
