/**
 * The one place bundle reads pass through the disk cache: an entry's stored bytes, or one
 * streaming part, by digest. An entry whose streaming parts tile it exactly is kept as its parts
 * (one record per mip, LOD or chunk), so a whole load and a progressive stream share records and
 * a stream cut short resumes from what it already cached. Without a disk cache this is the plain
 * verified read it replaces.
 */
import type { IndexDigest, IndexEntry } from '../../format/index-format.js';
import type { Part } from '../../format/part.js';
import type { ByteSource } from '../byte-source.js';
import { checkDigest } from '../digest-check.js';
import type { ReadUrgency } from '../read-scheduler.js';
import type { DiskCache } from './disk-cache.js';

/** What this needs of the AssetLoader (named here so the loader and this file do not import each other). */
export interface CachedReader {
  readonly diskCache?: DiskCache | undefined;
  read(source: ByteSource, offset: number, length: number, urgency: ReadUrgency, signal?: AbortSignal): Promise<Uint8Array>;
}

/** Verified bytes of `digest`: from the disk cache when it has them, else from `read`. */
export async function readThrough(cache: DiskCache | undefined, digest: IndexDigest, what: string, read: () => Promise<Uint8Array>): Promise<Uint8Array> {
  if (cache) return cache.readThrough(digest, what, read);
  const bytes = await read();
  await checkDigest(bytes, digest.hash, what, digest.size);
  return bytes;
}

export function partDigest(part: Part): IndexDigest {
  return { hash: part.hash, size: part.size };
}

/** One streaming part of `entry` (its offset is inside the entry), verified. */
export function readPart(loader: CachedReader, source: ByteSource, entry: IndexEntry, part: Part, what: string, urgency: ReadUrgency, signal?: AbortSignal): Promise<Uint8Array> {
  return readThrough(loader.diskCache, partDigest(part), what, () => loader.read(source, entry.offset + part.offset, part.size, urgency, signal));
}

/** An entry's stored bytes, verified: from its parts when they tile it and a disk cache is on, else whole. */
export async function readStoredEntry(loader: CachedReader, source: ByteSource, entry: IndexEntry, what: string, urgency: ReadUrgency, signal?: AbortSignal): Promise<Uint8Array> {
  const tiles = loader.diskCache ? tilingParts(entry) : undefined;
  if (!tiles) return readThrough(loader.diskCache, entry.stored, what, () => loader.read(source, entry.offset, entry.size, urgency, signal));
  const cache = loader.diskCache!;
  const name = (part: Part) => `${what} ${part.kind} ${part.index}`;
  const cached = await Promise.all(tiles.map((part) => cache.get(partDigest(part), name(part))));
  // the missing parts are asked for in one synchronous run, so the loader merges neighbours into one read
  const pieces = await Promise.all(tiles.map((part, i) => cached[i] ?? cache.fetch(partDigest(part), name(part), () => loader.read(source, entry.offset + part.offset, part.size, urgency, signal))));
  const whole = new Uint8Array(entry.size);
  for (let i = 0; i < tiles.length; i++) whole.set(pieces[i]!, tiles[i]!.offset);
  // each part matched its digest; the whole is checked as well, since the index could list parts that do not add up
  await checkDigest(whole, entry.stored.hash, what, entry.size);
  return whole;
}

/** The entry's parts in byte order when they cover it exactly, gap- and overlap-free; else undefined. */
export function tilingParts(entry: IndexEntry): Part[] | undefined {
  if (entry.parts.length === 0) return undefined;
  const sorted = [...entry.parts].sort((a, b) => a.offset - b.offset);
  let at = 0;
  for (const part of sorted) {
    if (part.offset !== at) return undefined;
    at += part.size;
  }
  return at === entry.size ? sorted : undefined;
}

/** Every record key an entry is kept under in the disk cache. */
export function entryDigests(entry: IndexEntry): IndexDigest[] {
  const tiles = tilingParts(entry);
  return tiles ? tiles.map(partDigest) : [entry.stored];
}
