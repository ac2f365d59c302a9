/**
 * Runtime reader benchmark. `bench()` returns a Markdown report; run it directly with
 * `node dist/bench/runtime.bench.js` after `npm run build`.
 *
 * 1. Whole-bundle read throughput: every entry of a ~70 MiB bundle read through the reader
 *    (open, range reads, xxh64 of every byte) vs. a raw sequential read of the same file in 1 MiB
 *    chunks, side by side in rotated order. Primary: the bundle packed with `compression: none`;
 *    second: the same assets packed with zstd (decoding adds work, also timed on its own).
 *    Goal: ≥ 0.9×.
 * 2. Time to first mip after open: open a bundle and stream a 1024² texture until its smallest
 *    mip is drawable, from a file and from a local HTTP server with range requests.
 * 3. Cache behaviour: 10 000 random loads (Zipf-like and uniform) with a memory budget of a
 *    quarter of the bundle: hit rate, evictions, and bytes over budget (must be 0).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from '@mongodb-js/zstd';
import { decompress as fzstdDecompress } from 'fzstd';
import { buildBundle, type BundleAssetInput } from '../src/bundle/bundle-builder.js';
import { hashParts } from '../src/hash/part-digests.js';
import type { PartLayout } from '../src/rule/output.js';
import { fileSource, httpSource, memorySource, openBundle } from '../src/runtime/index.js';
import type { ByteSource } from '../src/runtime/byte-source.js';
import type { Decoders } from '../src/runtime/decompress.js';
import { assetIdOf } from '../src/workspace/label.js';

const MiB = 1 << 20;

function noise(size: number, seed: number, compressible: boolean): Uint8Array {
  const out = new Uint8Array(size);
  let state = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = compressible ? (i % 97) ^ (state >>> 30) : state >>> 24;
  }
  return out;
}

/** A KTX2-shaped RGBA8 texture: 64-byte header, then mips smallest first. */
function textureAsset(label: string, size: number, seed: number): BundleAssetInput {
  const levels = Math.log2(size) + 1;
  const sizes = Array.from({ length: levels }, (_, l) => (size >> l) * (size >> l) * 4);
  const total = 64 + sizes.reduce((a, b) => a + b, 0);
  const bytes = noise(total, seed, false);
  const parts: PartLayout[] = [{ kind: 'header', index: 0, offset: 0, size: 64 }];
  let at = 64;
  for (let l = levels - 1; l >= 0; l--) {
    parts.push({ kind: 'mip', index: l, offset: at, size: sizes[l]! });
    at += sizes[l]!;
  }
  return {
    id: assetIdOf(label),
    label,
    type: 'texture',
    priority: 'normal',
    deps: [],
    outputs: [{ name: `${label.split(':')[1]}.ktx2`, bytes, meta: { width: size, height: size, format: 'rgba8', vkFormat: 37, mipCount: levels, gpuBytes: total - 64, colorSpace: 'srgb', container: 'ktx2', alpha: true }, parts: hashParts(bytes, parts, label) }],
  };
}

/** Level-data-like JSON of about `size` bytes (compresses ~5–10× like real data). */
function dataAsset(label: string, size: number, seed: number): BundleAssetInput {
  const random = pseudoRandom(seed);
  const items: unknown[] = [];
  let text = '[]';
  while (text.length < size) {
    items.push({ id: items.length, kind: ['oak', 'pine', 'rock', 'fox', 'duck'][Math.floor(random() * 5)], x: +(random() * 1000).toFixed(2), y: +(random() * 1000).toFixed(2), rot: Math.floor(random() * 360), tags: ['static', 'lod'] });
    if (items.length % 50 === 0) text = JSON.stringify(items);
  }
  text = JSON.stringify(items);
  return { id: assetIdOf(label), label, type: 'data', priority: 'normal', deps: [], outputs: [{ name: `${label.split(':')[1]}.json`, bytes: new TextEncoder().encode(text), meta: { refs: {} }, parts: [] }] };
}

const ROUNDS = 11;

// A full GC (untimed) before every sample, so no variant pays for the 70 MiB buffers another left behind.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Runs every variant once per round in a rotated order, `ROUNDS` rounds, and returns each one's
 * median: side by side in one process, so machine load falls on all of them alike.
 */
async function compare(variants: Record<string, () => Promise<number>>): Promise<Record<string, number>> {
  const entries = Object.entries(variants);
  for (const [, run] of entries) await run(); // warm-up: page cache, JIT, wasm
  const samples = new Map<string, number[]>(entries.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < entries.length; i++) {
      const [name, run] = entries[(round + i) % entries.length]!;
      collectGarbage();
      samples.get(name)!.push(await run());
    }
  }
  return Object.fromEntries([...samples].map(([name, values]) => [name, values.sort((a, b) => a - b)[values.length >> 1]!]));
}

/** Decompression alone, for the entries of `tar` stored as zstd: the decoding share of the zstd rows. */
async function decodeCost(tar: Uint8Array): Promise<{ entries: number; stored: number; raw: number; portable: number; native: number }> {
  const bundle = await openBundle(memorySource(tar));
  const zstd = bundle.index.entries.filter((e) => e.compression === 'zstd');
  const stored = zstd.map((e) => tar.subarray(e.offset, e.offset + e.size));
  const times = await compare({
    portable: async () => {
      const start = performance.now();
      for (const bytes of stored) fzstdDecompress(bytes);
      return performance.now() - start;
    },
    native: async () => {
      const start = performance.now();
      await Promise.all(stored.map((bytes) => nativeDecoders.zstd!(bytes)));
      return performance.now() - start;
    },
  });
  return { entries: zstd.length, stored: stored.reduce((n, b) => n + b.byteLength, 0), raw: zstd.reduce((n, e) => n + e.raw.size, 0), portable: times.portable!, native: times.native! };
}

async function median(fn: () => Promise<number>, runs = 5): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await fn());
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function rawReadFile(path: string): Promise<number> {
  const start = performance.now();
  await readFile(path);
  return performance.now() - start;
}

async function rawSequentialRead(path: string): Promise<number> {
  const start = performance.now();
  const handle = await open(path, 'r');
  const size = (await handle.stat()).size;
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += MiB) await handle.read(out, at, Math.min(MiB, size - at), at);
  await handle.close();
  return performance.now() - start;
}

/** `bytes`: every entry verified and decompressed (`readEntry`); `decoded`: every asset `load`ed (JSON parsed too). */
async function readerWholeBundle(source: () => ByteSource, decoders: Decoders | undefined, mode: 'bytes' | 'decoded'): Promise<number> {
  const start = performance.now();
  const bundle = await openBundle(source(), { maxConcurrentReads: 4, ...(decoders ? { decoders } : {}) });
  if (mode === 'bytes') await Promise.all(bundle.index.entries.map((e) => bundle.readEntry(e.path)));
  else await Promise.all(bundle.assets().map((a) => bundle.load(a.id)));
  const ms = performance.now() - start;
  await bundle.close();
  return ms;
}

/** Node's native decoders, passed in as a Node game would. */
const nativeDecoders: Decoders = {
  zstd: async (b) => new Uint8Array(await zstdDecompress(Buffer.from(b.buffer, b.byteOffset, b.byteLength))),
  gzip: (b) => gunzipSync(b),
};

function rangeServer(path: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const size = (await stat(path)).size;
    const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    const [start, end] = match ? [Number(match[1]), Math.min(Number(match[2]), size - 1)] : [0, size - 1];
    res.writeHead(match ? 206 : 200, { 'Content-Length': end - start + 1, ...(match ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) });
    createReadStream(path, { start, end }).pipe(res);
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      ok({ url: `http://127.0.0.1:${address.port}/bundle.tar`, close: () => new Promise<void>((done) => server.close(() => done())) });
    }),
  );
}

async function timeToFirstMip(source: () => ByteSource, label: string): Promise<{ first: number; full: number }> {
  const start = performance.now();
  const bundle = await openBundle(source());
  const handle = bundle.stream(label);
  let first = 0;
  handle.on('part', (_, part) => {
    if (part?.kind === 'mip' && first === 0) first = performance.now() - start;
  });
  await handle.done;
  const full = performance.now() - start;
  await bundle.close();
  return { first, full };
}

function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function cacheRun(tar: Uint8Array, ids: string[], budget: number, pick: (r: () => number) => number): Promise<string> {
  const bundle = await openBundle(memorySource(tar), { memory: { total: budget }, decoders: nativeDecoders });
  const random = pseudoRandom(42);
  let worstOver = 0;
  const start = performance.now();
  for (let i = 0; i < 10_000; i++) {
    await bundle.load(ids[pick(random)]!);
    worstOver = Math.max(worstOver, bundle.metrics().memory.total - budget);
  }
  const ms = performance.now() - start;
  const m = bundle.metrics();
  return `| ${(m.cacheHitRate * 100).toFixed(1)}% | ${m.evictions} | ${(m.memory.total / 1024).toFixed(0)} KiB | ${Math.max(0, worstOver)} | ${((ms * 1000) / 10_000).toFixed(1)} µs |`;
}

export async function bench(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-runtime-bench-'));
  try {
    const lines: string[] = ['## Runtime reader', ''];

    // 1. Whole-bundle throughput. The same assets packed twice: `compression: none` (the primary
    // figure: reading and verifying only) and `zstd` (adds decoding, reported on its own too).
    const assets: BundleAssetInput[] = [];
    for (let i = 0; i < 44; i++) assets.push(textureAsset(`//bench:tex${String(i).padStart(2, '0')}`, 512, i + 1));
    for (let i = 0; i < 200; i++) assets.push(dataAsset(`//bench:data${String(i).padStart(3, '0')}`, 16 * 1024 + i * 97, i + 100));
    assets.push(textureAsset('//bench:hero', 1024, 999));
    const packStart = performance.now();
    const { bytes: tar } = await buildBundle(assets, { bundle: '//bench:bundle', file: 'bundle.tar', alignment: 512, compression: 'zstd' });
    const packMs = performance.now() - packStart;
    const { bytes: plainTar } = await buildBundle(assets, { bundle: '//bench:bundle', file: 'plain.tar', alignment: 512, compression: 'none' });
    const path = join(dir, 'bundle.tar');
    const plainPath = join(dir, 'plain.tar');
    await writeFile(path, tar);
    await writeFile(plainPath, plainTar);
    const dataRaw = assets.filter((a) => a.type === 'data').reduce((n, a) => n + a.outputs[0]!.bytes.byteLength, 0);
    lines.push(
      `Bundle: ${assets.length} assets: 45 RGBA8 textures with mips (streamed, stored raw: noise does not compress) and 200 JSON level-data files (${(dataRaw / MiB).toFixed(1)} MiB raw). Packed twice from the same assets: **plain** (\`compression: none\`, ${(plainTar.byteLength / MiB).toFixed(1)} MiB) and **zstd** (${(tar.byteLength / MiB).toFixed(1)} MiB, packed in ${packMs.toFixed(0)} ms).`,
      '',
      `Method: files in the page cache (each read once before timing). Every variant runs once per round, in a rotated order, with a full (untimed) GC before each sample so that no variant pays for another's garbage, ${ROUNDS} rounds; medians. "raw" reads the same file into one buffer: sequential 1 MiB \`FileHandle.read\` calls (the baseline), and \`fs.readFile\` for reference. "reader" = \`openBundle(fileSource(path))\` (index read and checksummed) + \`readEntry\` of every entry at once (\`Promise.all\`, default 4 concurrent reads), each entry's stored bytes xxh64-verified, zstd entries decoded and their decoded bytes verified again.`,
      '',
    );
    const plain = await compare({
      raw: () => rawSequentialRead(plainPath),
      readFile: () => rawReadFile(plainPath),
      reader: () => readerWholeBundle(() => fileSource(plainPath), undefined, 'bytes'),
    });
    const zstd = await compare({
      raw: () => rawSequentialRead(path),
      portable: () => readerWholeBundle(() => fileSource(path), undefined, 'bytes'),
      native: () => readerWholeBundle(() => fileSource(path), nativeDecoders, 'bytes'),
      decoded: () => readerWholeBundle(() => fileSource(path), nativeDecoders, 'decoded'),
    });
    const decodeOnly = await decodeCost(tar);
    const rate = (bytes: number, ms: number) => `${((bytes / MiB) * 1000 / ms).toFixed(0)} MiB/s`;
    const row = (what: string, bytes: number, ms: number, raw: number) => `| ${what} | ${ms.toFixed(1)} ms | ${rate(bytes, ms)} | ${(raw / ms).toFixed(2)}× |`;
    lines.push(`| read | time (median of ${ROUNDS}) | throughput | vs raw sequential |`, '|---|---|---|---|');
    lines.push(row('plain: raw sequential read, 1 MiB chunks (baseline)', plainTar.byteLength, plain.raw!, plain.raw!));
    lines.push(row('plain: raw `fs.readFile` (reference)', plainTar.byteLength, plain.readFile!, plain.raw!));
    lines.push(row('**plain: reader, open + every entry verified** (primary figure)', plainTar.byteLength, plain.reader!, plain.raw!));
    lines.push(row('zstd: raw sequential read, 1 MiB chunks (baseline)', tar.byteLength, zstd.raw!, zstd.raw!));
    lines.push(row('zstd: reader, every entry verified + decoded, fzstd (portable)', tar.byteLength, zstd.portable!, zstd.raw!));
    lines.push(row('zstd: same, Node-native zstd passed in as a decoder', tar.byteLength, zstd.native!, zstd.raw!));
    lines.push(row('zstd: reader, `load` every asset (typed results, JSON parsed), native zstd', tar.byteLength, zstd.decoded!, zstd.raw!));
    lines.push(
      '',
      `Decoding alone (in memory, no I/O, no hashing) of the ${decodeOnly.entries} zstd entries (${(decodeOnly.stored / MiB).toFixed(1)} MiB stored → ${(decodeOnly.raw / MiB).toFixed(1)} MiB): fzstd ${decodeOnly.portable.toFixed(1)} ms, native ${decodeOnly.native.toFixed(1)} ms (median of ${ROUNDS}); that is the share of the zstd rows that is decompression, not reading.`,
    );
    const best = plain.raw! / plain.reader!;
    const vsReadFile = plain.readFile! / plain.reader!;
    lines.push('', `Goal ≥ 0.90× of a raw sequential read (plain bundle, every byte verified): **${best >= 0.9 ? 'met' : 'not met'}** (${best.toFixed(2)}×; ${vsReadFile.toFixed(2)}× of \`fs.readFile\`).`, '');

    // 2. Time to first mip
    const server = await rangeServer(path);
    try {
      const file = await median(async () => (await timeToFirstMip(() => fileSource(path), '//bench:hero')).first);
      const http = await median(async () => (await timeToFirstMip(() => httpSource(server.url), '//bench:hero')).first);
      const httpFull = await median(async () => (await timeToFirstMip(() => httpSource(server.url), '//bench:hero')).full);
      lines.push('| time to first mip of a 1024² texture after open | median |', '|---|---|');
      lines.push(`| file source | ${file.toFixed(2)} ms |`);
      lines.push(`| HTTP range requests (127.0.0.1) | ${http.toFixed(2)} ms |`);
      lines.push(`| HTTP, all 11 mips (5.3 MiB) | ${httpFull.toFixed(1)} ms |`, '');
    } finally {
      await server.close();
    }

    // 3. Cache under 10k random loads
    const small: BundleAssetInput[] = [];
    for (let i = 0; i < 150; i++) small.push(dataAsset(`//cache:d${i}`, 2048 + ((i * 7919) % 30_000), i + 1));
    for (let i = 0; i < 50; i++) small.push(textureAsset(`//cache:t${i}`, 64 << (i % 3), i + 500));
    const { bytes: cacheTar, index } = await buildBundle(small, { bundle: '//cache:bundle', file: 'bundle.tar', alignment: 512, compression: 'zstd' });
    const ids = index.assets.map((a) => a.id);
    const totalRaw = index.entries.reduce((n, e) => n + e.raw.size, 0);
    const budget = Math.floor(totalRaw / 4);
    lines.push(`Cache: 10 000 loads over ${ids.length} assets (${(totalRaw / 1024).toFixed(0)} KiB decoded), memory budget ${(budget / 1024).toFixed(0)} KiB (25%).`, '');
    lines.push('| access pattern | hit rate | evictions | memory at end | max bytes over budget | per load |', '|---|---|---|---|---|---|');
    lines.push(`| Zipf-like (s≈1) ${await cacheRun(cacheTar, ids, budget, (r) => Math.min(ids.length - 1, Math.floor(Math.exp(r() * Math.log(ids.length + 1)) - 1)))}`);
    lines.push(`| uniform ${await cacheRun(cacheTar, ids, budget, (r) => Math.floor(r() * ids.length))}`);
    lines.push('');
    return lines.join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) console.log(await bench());
