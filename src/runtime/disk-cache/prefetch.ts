/**
 * Addressables' `DownloadDependenciesAsync` / `GetDownloadSizeAsync` for kiln: put everything a
 * level needs (some labels and all they depend on, or a whole bundle) into the disk cache ahead of
 * time, with progress, so the level later starts from the cache (and offline). Bytes already
 * cached, and verified, are not fetched again.
 */
import type { CatalogAsset } from '../../format/catalog-format.js';
import type { IndexDigest, IndexEntry } from '../../format/index-format.js';
import type { BundleReader } from '../bundle-reader.js';
import type { CatalogReader } from '../catalog-reader.js';
import { checkDigest } from '../digest-check.js';
import type { ReadUrgency } from '../read-scheduler.js';
import { abortError, RuntimeError } from '../runtime-error.js';
import { partDigest, tilingParts } from './cached-read.js';
import type { DiskCache } from './disk-cache.js';

/** Labels or ids (each with everything it depends on), or every asset of one bundle (its file as the catalog lists it, or its target label). */
export type PrefetchTarget = readonly string[] | { bundle: string };

export interface PrefetchProgress {
  /** Bytes of every record the target needs. */
  totalBytes: number;
  /** Of those, bytes now in the cache (found there or downloaded). */
  doneBytes: number;
  /** Bytes fetched from the source by this prefetch. */
  downloadedBytes: number;
  /** Of those, bytes the cache could not keep (budget, quota or a full disk). */
  unstoredBytes: number;
  /** doneBytes / totalBytes (1 when there is nothing to do). */
  fraction: number;
}

export interface PrefetchOptions {
  onProgress?: (progress: PrefetchProgress) => void;
  signal?: AbortSignal;
}

interface Piece {
  digest: IndexDigest;
  offset: number;
  what: string;
}

/** Prefetching yields to the game's own loads. */
const BACKGROUND: ReadUrgency = { rank: () => 4, deadline: () => Infinity };

export async function prefetch(catalog: CatalogReader, target: PrefetchTarget, options: PrefetchOptions = {}): Promise<PrefetchProgress> {
  const cache = requireCache(catalog);
  const pieces = await piecesOf(catalog, target);
  const progress: PrefetchProgress = { totalBytes: 0, doneBytes: 0, downloadedBytes: 0, unstoredBytes: 0, fraction: 1 };
  for (const { piece } of pieces) progress.totalBytes += piece.digest.size;
  const report = () => {
    progress.fraction = progress.totalBytes === 0 ? 1 : progress.doneBytes / progress.totalBytes;
    options.onProgress?.({ ...progress });
  };
  report();
  const readers = new Map<string, BundleReader>();
  for (const { bundle } of pieces) if (!readers.has(bundle)) readers.set(bundle, await catalog.bundleOf(bundle));
  const cached = await Promise.all(pieces.map(({ piece }) => cache.get(piece.digest, piece.what)));
  for (const [i, { piece }] of pieces.entries()) {
    if (!cached[i]) continue;
    progress.doneBytes += piece.digest.size;
  }
  report();
  // every missing piece asked for in one synchronous run: neighbours merge into one request
  await Promise.all(
    pieces.map(async ({ piece, bundle }, i) => {
      if (cached[i]) return;
      if (options.signal?.aborted) throw abortError(options.signal);
      let bytes: Uint8Array;
      try {
        bytes = await catalog.loader.read(readers.get(bundle)!.source, piece.offset, piece.digest.size, BACKGROUND, options.signal);
      } catch (error) {
        if (error instanceof RuntimeError && error.code === 'offline') throw new RuntimeError('offline', `${piece.what} cannot be prefetched: the source is offline (${error.message})`);
        throw error;
      }
      await checkDigest(bytes, piece.digest.hash, piece.what, piece.digest.size);
      progress.downloadedBytes += bytes.byteLength;
      if (await cache.put(piece.digest, bytes)) progress.doneBytes += piece.digest.size;
      else progress.unstoredBytes += piece.digest.size;
      report();
    }),
  );
  return progress;
}

/** Bytes a prefetch of `target` would download now (records the cache does not hold). */
export async function downloadSize(catalog: CatalogReader, target: PrefetchTarget): Promise<number> {
  const cache = requireCache(catalog);
  let total = 0;
  for (const { piece } of await piecesOf(catalog, target)) if (!(await cache.has(piece.digest))) total += piece.digest.size;
  return total;
}

function requireCache(catalog: CatalogReader): DiskCache {
  const cache = catalog.loader.diskCache;
  if (!cache) throw new RuntimeError('not-found', `${catalog.name}: prefetch needs a disk cache (createLoader({ diskCache }))`);
  return cache;
}

function assetsOf(catalog: CatalogReader, target: PrefetchTarget): CatalogAsset[] {
  if (!Array.isArray(target)) {
    const { bundle } = target as { bundle: string };
    const listed = catalog.catalog.bundles.find((b) => b.file === bundle || b.target === bundle);
    if (!listed) throw new RuntimeError('not-found', `${catalog.name}: no bundle ${bundle} in the catalog`);
    return catalog.assets().filter((a) => a.bundle === listed.file);
  }
  const out = new Map<string, CatalogAsset>();
  const visit = (key: string) => {
    const asset = catalog.info(key);
    if (!asset) throw new RuntimeError('not-found', `no asset ${key} in the catalog`);
    if (out.has(asset.id)) return;
    out.set(asset.id, asset);
    for (const dep of asset.deps) if (catalog.info(dep)) visit(dep);
  };
  for (const key of target as readonly string[]) visit(key);
  return [...out.values()];
}

/** Every record the assets are kept under, with where to read it in its bundle. */
async function piecesOf(catalog: CatalogReader, target: PrefetchTarget): Promise<{ piece: Piece; bundle: string }[]> {
  const out: { piece: Piece; bundle: string }[] = [];
  const seen = new Set<string>();
  const paths = new Map<BundleReader, Map<string, IndexEntry>>();
  for (const asset of assetsOf(catalog, target)) {
    const reader = await catalog.bundleOf(asset.id);
    let byPath = paths.get(reader);
    if (!byPath) paths.set(reader, (byPath = new Map(reader.index.entries.map((e) => [e.path, e]))));
    const info = reader.info(asset.id);
    for (const path of info?.entries ?? []) {
      const entry = byPath.get(path);
      if (!entry) continue;
      const tiles = tilingParts(entry);
      const pieces: Piece[] = tiles
        ? tiles.map((p) => ({ digest: partDigest(p), offset: entry.offset + p.offset, what: `${asset.label} ${p.kind} ${p.index}` }))
        : [{ digest: entry.stored, offset: entry.offset, what: `${reader.source.name}: ${entry.path}` }];
      for (const piece of pieces) {
        const key = `${piece.digest.hash}-${piece.digest.size}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ piece, bundle: asset.id });
      }
    }
  }
  return out;
}
