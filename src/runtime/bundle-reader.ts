/**
 * An open bundle: its verified index, and typed loads and progressive streams of its assets by
 * label or id. Reads go through the shared loader (priority queue, bandwidth, cache); every byte
 * handed out has matched its digest from the index.
 */
import { FormatError } from '../format/format-error.js';
import { gpuBytesOf } from '../format/asset-meta.js';
import { INDEX_ENTRY_NAME, parseBundleIndex, type BundleIndex, type BundlePlatform, type IndexAsset, type IndexEntry } from '../format/index-format.js';
import { BLOCK, readTarHeader } from '../format/tar-header.js';
import type { LoadPriority } from '../format/asset-type.js';
import { applyPart, assetParts, decodeAsset, emptyAsset, memoryBytes, withOutputs } from './asset-decoder.js';
import { AssetLoader, type LoadOptions, type LoaderOptions } from './asset-loader.js';
import type { ByteSource } from './byte-source.js';
import { decompress, MAX_DECODED_BYTES } from './decompress.js';
import { checkDigest, sha256Text } from './digest-check.js';
import { readPart, readStoredEntry } from './disk-cache/cached-read.js';
import type { LoadedAsset } from './loaded-asset.js';
import { categoryOf } from './memory-cache.js';
import type { RuntimeMetrics } from './metrics.js';
import type { ReadUrgency } from './read-scheduler.js';
import { RuntimeError } from './runtime-error.js';
import { StreamHandle } from './stream-handle.js';

export interface OpenOptions extends LoaderOptions {
  /** Share scheduling, bandwidth, cache and metrics with other bundles. Other options are then ignored. */
  loader?: AssetLoader;
}

const UNTIL_READY: ReadUrgency = { rank: () => 0, deadline: () => -Infinity };

export class BundleReader {
  private readonly byKey = new Map<string, IndexAsset>();
  private readonly entries: Map<string, IndexEntry>;

  constructor(
    readonly source: ByteSource,
    readonly index: BundleIndex,
    readonly loader: AssetLoader,
  ) {
    for (const asset of index.assets) {
      this.byKey.set(asset.id, asset);
      this.byKey.set(asset.label, asset);
    }
    this.entries = new Map(index.entries.map((e) => [e.path, e]));
  }

  /** The platform this bundle was cooked for and its settings digest (undefined for bundles that predate it). */
  get platform(): BundlePlatform | undefined {
    return this.index.platform;
  }

  /** Assets in load order. */
  assets(): readonly IndexAsset[] {
    return this.index.assets;
  }

  info(labelOrId: string): IndexAsset | undefined {
    return this.byKey.get(labelOrId);
  }

  /** Loads and decodes an asset (all mips / LODs / chunks). */
  load<T extends LoadedAsset = LoadedAsset>(labelOrId: string, options: LoadOptions = {}): Promise<T> {
    let asset: IndexAsset;
    try {
      asset = this.resolve(labelOrId);
    } catch (error) {
      return Promise.reject(error);
    }
    // The whole asset: every output (all LODs, a font's atlas, UI rects, every shader variant).
    const entries = this.entriesOf(asset);
    return this.loader.load(asset.id, asset.priority, options, async (urgency, signal) => {
      const raws = await Promise.all(entries.map(async (e) => ({ entry: e, raw: await this.readVerified(e, urgency, signal) })));
      // The entry's digest vouches for its bytes, not for where the index says each part starts
      // and ends: a lying part size would cut a mip short. Each part is checked as it is sliced,
      // exactly as streaming checks it as it arrives.
      await Promise.all(raws.flatMap(({ entry, raw }) => entry.parts.map((part) => checkDigest(raw.subarray(part.offset, part.offset + part.size), part.hash, `${asset.label} ${part.kind} ${part.index}`, part.size))));
      const decoded = decodeAsset(asset, raws);
      this.remember(decoded);
      return decoded;
    }) as Promise<T>;
  }

  /** Streams an asset part by part; see StreamHandle. */
  stream(labelOrId: string, options: LoadOptions = {}): StreamHandle {
    const asset = this.byKey.get(labelOrId);
    const handle = new StreamHandle(labelOrId, options.priority ?? asset?.priority ?? 'normal', options.deadline ?? Infinity, options.signal);
    void this.runStream(handle);
    return handle;
  }

  /** Runs a stream handle created elsewhere (the catalog creates handles before the bundle is open). */
  async runStream(handle: StreamHandle): Promise<void> {
    const started = this.loader.clock.now();
    try {
      const asset = this.resolve(handle.key);
      const entry = this.mainEntry(asset);
      const cached = this.loader.cache.get(asset.id) ?? (await this.loader.inflightLoad(asset.id));
      if (cached) {
        handle.totalBytes = memoryBytes(cached);
        handle.finish(cached);
        return;
      }
      const entries = this.entriesOf(asset);
      const parts = assetParts(entries);
      const whole = entries.filter((e) => e.parts.length === 0);
      if (parts.length === 0) {
        handle.totalBytes = whole.reduce((n, e) => n + e.raw.size, 0);
        const raws = await Promise.all(whole.map(async (e) => ({ entry: e, raw: await this.readVerified(e, handle, handle.signal) })));
        const decoded = decodeAsset(asset, raws);
        handle.progress(decoded, undefined, handle.totalBytes);
        this.finishStream(handle, decoded, started);
        return;
      }
      handle.totalBytes = parts.reduce((n, p) => n + p.part.size, 0) + whole.reduce((n, e) => n + e.raw.size, 0);
      let current = emptyAsset(asset, entry, parts);
      for (const { entry: holder, part } of parts) {
        const bytes = await readPart(this.loader, this.source, holder, part, `${asset.label} ${part.kind} ${part.index}`, handle, handle.signal);
        if (handle.state !== 'streaming') return;
        current = applyPart(current, part, bytes);
        handle.progress(current, part, part.size);
      }
      // Outputs without parts (a model's extra files, a font's atlas…) complete the asset.
      if (whole.length > 0) {
        const raws = await Promise.all(whole.map(async (e) => ({ entry: e, raw: await this.readVerified(e, handle, handle.signal) })));
        if (handle.state !== 'streaming') return;
        current = withOutputs(current, raws);
        handle.progress(current, undefined, whole.reduce((n, e) => n + e.raw.size, 0));
      }
      this.finishStream(handle, current, started);
    } catch (error) {
      handle.fail(error as Error);
    }
  }

  /** Verified, decompressed bytes of any entry (`assets/<id>/<output>`). */
  async readEntry(path: string, options: LoadOptions = {}): Promise<Uint8Array> {
    const entry = this.entries.get(path);
    if (!entry) throw new RuntimeError('not-found', `${this.source.name}: no entry ${path}`);
    const rank = ['critical', 'high', 'normal', 'low', 'on_demand'].indexOf(options.priority ?? 'normal');
    return this.readVerified(entry, { rank: () => rank, deadline: () => options.deadline ?? Infinity }, options.signal);
  }

  /** Keeps an asset in memory regardless of LRU pressure (a pin before it loads applies when it arrives). */
  pin(labelOrId: string): void {
    this.loader.cache.pin(this.resolve(labelOrId).id);
  }

  unpin(labelOrId: string): void {
    this.loader.cache.unpin(this.resolve(labelOrId).id);
  }

  /** GPU bytes the given textures (default: every texture in the bundle) would take once uploaded. */
  estimateGpuBytes(filter: (asset: IndexAsset) => boolean = () => true): number {
    let total = 0;
    for (const asset of this.index.assets) {
      if (asset.type !== 'texture' || !filter(asset)) continue;
      const main = this.mainEntry(asset);
      if (main) total += gpuBytesOf(main.meta);
    }
    return total;
  }

  metrics(): RuntimeMetrics {
    return this.loader.metrics();
  }

  /** Releases the byte source (closes a file). */
  async close(): Promise<void> {
    await this.source.close?.();
  }

  private resolve(labelOrId: string): IndexAsset {
    const asset = this.byKey.get(labelOrId);
    if (!asset) throw new RuntimeError('not-found', `${this.source.name}: no asset ${labelOrId}`);
    if (asset.external) throw new RuntimeError('external', `${asset.label} is in bundle ${asset.external}: open the catalog`);
    return asset;
  }

  private entriesOf(asset: IndexAsset): IndexEntry[] {
    return asset.entries.map((path) => this.entries.get(path)!);
  }

  private mainEntry(asset: IndexAsset): IndexEntry | undefined {
    const path = asset.entries[0];
    return path === undefined ? undefined : this.entries.get(path);
  }

  private async readVerified(entry: IndexEntry, urgency: ReadUrgency, signal?: AbortSignal): Promise<Uint8Array> {
    const stored = await readStoredEntry(this.loader, this.source, entry, `${this.source.name}: ${entry.path}`, urgency, signal);
    if (entry.compression === 'none') return stored;
    const raw = await decompress(stored, entry.compression, entry.path, this.loader.decoders, entry.raw.size);
    await checkDigest(raw, entry.raw.hash, `${this.source.name}: ${entry.path} (decoded)`, entry.raw.size);
    return raw;
  }

  private remember(asset: LoadedAsset): void {
    const gpu = asset.type === 'texture' ? asset.gpuBytes : 0;
    this.loader.cache.put(asset.id, categoryOf(asset.type), memoryBytes(asset), gpu, asset);
  }

  private finishStream(handle: StreamHandle, asset: LoadedAsset, started: number): void {
    if (handle.state !== 'streaming') return;
    this.remember(asset);
    this.loader.recordStreamed(this.loader.clock.now() - started);
    handle.finish(asset);
  }
}

/**
 * A valid checksum only proves the index was not damaged, not that whoever wrote it was honest:
 * every size and count it declares must fit the real file before the reader allocates by it.
 * Part indices (mip level, LOD, chunk number) size the arrays an asset is decoded into, so each
 * must be below the number of parts of its kind the asset really has (an `index` of 1e8 was an
 * 800 MB array before this).
 */
function checkDeclaredSizes(index: BundleIndex, size: number): void {
  const entries = new Map<string, IndexEntry>();
  for (const entry of index.entries) {
    if (entry.offset + entry.size > size) throw new FormatError(`${entry.path} ends at ${entry.offset + entry.size}, past the ${size}-byte file: truncated`);
    if (entry.compression === 'none' && entry.raw.size !== entry.size) throw new FormatError(`${entry.path}: uncompressed, yet raw size ${entry.raw.size} ≠ stored size ${entry.size}`);
    if (entry.raw.size > MAX_DECODED_BYTES) throw new FormatError(`${entry.path}: declared decoded size ${entry.raw.size} is over the ${MAX_DECODED_BYTES}-byte limit`);
    entries.set(entry.path, entry);
  }
  for (const asset of index.assets) {
    const counts = new Map<string, number>();
    const parts = asset.entries.flatMap((path) => entries.get(path)?.parts ?? []);
    for (const part of parts) counts.set(part.kind, (counts.get(part.kind) ?? 0) + 1);
    const seen = new Set<string>();
    for (const part of parts) {
      if (part.index >= counts.get(part.kind)!) {
        throw new FormatError(`${asset.label}: ${part.kind} index ${part.index} but only ${counts.get(part.kind)} ${part.kind} part(s)`);
      }
      // Below the count and unique: the indices of each kind are exactly 0…count-1.
      const key = `${part.kind} ${part.index}`;
      if (seen.has(key)) throw new FormatError(`${asset.label}: two ${part.kind} parts with index ${part.index}`);
      seen.add(key);
    }
  }
}

/** Reads a bundle's index (first tar entry) and verifies its checksum and declared sizes. */
export async function openBundle(source: ByteSource, options: OpenOptions = {}): Promise<BundleReader> {
  const loader = options.loader ?? new AssetLoader(options);
  try {
    // The real size first: every size the file declares is checked against it before it is read
    // or allocated.
    const size = await source.size();
    const header = readTarHeader(await loader.read(source, 0, Math.min(BLOCK, size), UNTIL_READY));
    if (!header || header.name !== INDEX_ENTRY_NAME) throw new FormatError(`first entry is ${header?.name ?? 'missing'}, not ${INDEX_ENTRY_NAME}`);
    if (header.size > 256 << 20) throw new FormatError(`index of ${header.size} bytes is implausible`);
    if (BLOCK + header.size > size) throw new FormatError(`index of ${header.size} bytes does not fit the ${size}-byte file: truncated`);
    const bytes = await loader.read(source, BLOCK, header.size, UNTIL_READY);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const { index, hash, canonical } = parseBundleIndex(text);
    const actual = await sha256Text(canonical);
    if (actual !== hash) throw new FormatError(`index checksum ${actual} does not match ${hash}`);
    checkDeclaredSizes(index, size);
    return new BundleReader(source, index, loader);
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError('corrupt', `${source.name}: not a readable kiln bundle: ${(error as Error).message}`);
  }
}

export type { LoadPriority };
