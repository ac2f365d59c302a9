/**
 * A catalog over many bundles (Addressables style): find any asset by label or id, open the bundle
 * that holds it on first use (one shared loader, so budgets and bandwidth span all bundles), and
 * answer "how much VRAM would this level take" from the catalog alone.
 */
import { parseCatalog, type Catalog, type CatalogAsset } from '../format/catalog-format.js';
import type { BundlePlatform } from '../format/index-format.js';
import { AssetLoader, type LoadOptions } from './asset-loader.js';
import { openBundle, type BundleReader, type OpenOptions } from './bundle-reader.js';
import type { ByteSource } from './byte-source.js';
import { sha256Text } from './digest-check.js';
import { catalogThroughCache } from './disk-cache/catalog-through-cache.js';
import { openCachedBundle } from './disk-cache/open-cached-bundle.js';
import type { LoadedAsset } from './loaded-asset.js';
import type { RuntimeMetrics } from './metrics.js';
import { RuntimeError } from './runtime-error.js';
import { StreamHandle } from './stream-handle.js';

export interface CatalogOptions extends OpenOptions {
  /** Byte source for a bundle path listed in the catalog. Default: `source.sibling(path)`. */
  resolve?: (file: string) => ByteSource;
}

export class CatalogReader {
  private readonly byKey = new Map<string, CatalogAsset>();
  private readonly bundles = new Map<string, Promise<BundleReader>>();

  constructor(
    readonly catalog: Catalog,
    readonly loader: AssetLoader,
    private readonly resolveSource: (file: string) => ByteSource,
    /** Where the catalog came from (names its references in the disk cache). */
    readonly name = 'catalog',
    /** The catalog file's own source, closed with the reader (a fileSource holds a file handle). */
    private readonly source?: ByteSource,
  ) {
    for (const asset of catalog.assets) {
      this.byKey.set(asset.id, asset);
      this.byKey.set(asset.label, asset);
    }
  }

  /** The platform the catalog's bundles were cooked for and its settings digest (undefined for old catalogs). */
  get platform(): BundlePlatform | undefined {
    return this.catalog.platform;
  }

  assets(): readonly CatalogAsset[] {
    return this.catalog.assets;
  }

  info(labelOrId: string): CatalogAsset | undefined {
    return this.byKey.get(labelOrId);
  }

  /** The open bundle holding an asset (opened once, on first use). */
  async bundleOf(labelOrId: string): Promise<BundleReader> {
    const asset = this.resolve(labelOrId);
    let bundle = this.bundles.get(asset.bundle);
    if (!bundle && !isPlainBundleName(asset.bundle)) {
      // The catalog names files relative to itself; an absolute URL would make the reader fetch
      // from wherever the catalog's author chose.
      throw new RuntimeError('corrupt', `${asset.label}: catalog names bundle ${JSON.stringify(asset.bundle)}, not a relative path on the catalog's own server`);
    }
    if (!bundle) {
      const source = this.resolveSource(asset.bundle);
      const disk = this.loader.diskCache;
      bundle = disk ? openCachedBundle(disk, this.catalog, asset.bundle, source, this.loader, `${this.name}#${asset.bundle}`) : openBundle(source, { loader: this.loader });
      bundle.catch(() => this.bundles.delete(asset.bundle));
      this.bundles.set(asset.bundle, bundle);
    }
    const reader = await bundle;
    if (!reader.info(asset.id)) throw new RuntimeError('corrupt', `${asset.bundle} does not hold ${asset.label} as the catalog says`);
    return reader;
  }

  async load<T extends LoadedAsset = LoadedAsset>(labelOrId: string, options: LoadOptions = {}): Promise<T> {
    const asset = this.resolve(labelOrId);
    return (await this.bundleOf(asset.id)).load<T>(asset.id, options);
  }

  /** Loads an asset and, first, everything it depends on (deps before dependents). */
  async loadWithDeps(labelOrId: string, options: LoadOptions = {}): Promise<Map<string, LoadedAsset>> {
    const out = new Map<string, LoadedAsset>();
    const visit = async (id: string, seen: Set<string>): Promise<void> => {
      if (seen.has(id)) return;
      seen.add(id);
      const asset = this.resolve(id);
      await Promise.all(asset.deps.filter((d) => this.byKey.has(d)).map((d) => visit(d, seen)));
      out.set(asset.label, await this.load(asset.id, options));
    };
    await visit(this.resolve(labelOrId).id, new Set());
    return out;
  }

  stream(labelOrId: string, options: LoadOptions = {}): StreamHandle {
    const asset = this.byKey.get(labelOrId);
    const handle = new StreamHandle(asset?.id ?? labelOrId, options.priority ?? asset?.priority ?? 'normal', options.deadline ?? Infinity, options.signal);
    this.bundleOf(labelOrId).then(
      (bundle) => bundle.runStream(handle),
      (error: Error) => handle.fail(error),
    );
    return handle;
  }

  /** GPU bytes of the textures matching `filter` (e.g. one level's package), from the catalog alone. */
  estimateGpuBytes(filter: (asset: CatalogAsset) => boolean = () => true): number {
    return this.catalog.assets.filter((a) => a.type === 'texture' && filter(a)).reduce((n, a) => n + a.gpuBytes, 0);
  }

  pin(labelOrId: string): void {
    this.loader.cache.pin(this.resolve(labelOrId).id);
  }

  unpin(labelOrId: string): void {
    this.loader.cache.unpin(this.resolve(labelOrId).id);
  }

  metrics(): RuntimeMetrics {
    return this.loader.metrics();
  }

  /** Closes every bundle opened through this catalog, and the catalog's own source. */
  async close(): Promise<void> {
    const open = [...this.bundles.values()];
    this.bundles.clear();
    await Promise.all(open.map((b) => b.then((reader) => reader.close(), () => undefined)));
    await this.source?.close?.();
  }

  private resolve(labelOrId: string): CatalogAsset {
    const asset = this.byKey.get(labelOrId);
    if (!asset) throw new RuntimeError('not-found', `no asset ${labelOrId} in the catalog`);
    return asset;
  }
}

/** Reads a whole catalog file (they are small) and verifies its checksum. */
export async function openCatalog(source: ByteSource, options: CatalogOptions = {}): Promise<CatalogReader> {
  const loader = options.loader ?? new AssetLoader(options);
  const resolve =
    options.resolve ??
    ((file: string) => {
      if (!source.sibling) throw new RuntimeError('not-found', `${source.name} cannot locate ${file}: pass options.resolve`);
      return source.sibling(file);
    });
  try {
    const fromBytes = async (bytes: Uint8Array): Promise<CatalogReader> => {
      const text = utf8(source, bytes);
      try {
        const { catalog, hash, canonical } = parseCatalog(text);
        const actual = await sha256Text(canonical);
        if (actual !== hash) throw new Error(`checksum ${actual} does not match ${hash}`);
        return new CatalogReader(catalog, loader, resolve, source.name, source);
      } catch (error) {
        throw new RuntimeError('corrupt', `${source.name}: not a readable kiln catalog: ${(error as Error).message}`);
      }
    };
    // with a disk cache the last catalog is kept, so an offline start opens what it last saw
    if (loader.diskCache) return await catalogThroughCache(loader.diskCache, source.name, () => readAll(source), fromBytes);
    return await fromBytes(await readAll(source));
  } catch (error) {
    // Nobody gets a reader to close: release the file now.
    await source.close?.().catch(() => undefined);
    throw error;
  }
}

/** A catalog of 100k assets is ~20 MB; a larger size is a lie meant to make the reader allocate. */
export const MAX_CATALOG_BYTES = 64 << 20;

/** Catalogs are small: read whole, once the declared size is plausible. */
async function readAll(source: ByteSource): Promise<Uint8Array> {
  const size = await source.size();
  if (size > MAX_CATALOG_BYTES) throw new RuntimeError('corrupt', `${source.name}: catalog of ${size} bytes is over the ${MAX_CATALOG_BYTES}-byte limit`);
  return source.read(0, size);
}

function utf8(source: ByteSource, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RuntimeError('corrupt', `${source.name}: catalog is not UTF-8`);
  }
}

/**
 * `bundle.tar`, `../../common/ui.tar`: a relative path (bundles of other packages sit in sibling
 * folders, so `..` is fine) with no scheme, no leading `/` (`//host` is another server), no
 * backslash or NUL, so it always resolves on the catalog's own server or disk.
 */
function isPlainBundleName(name: string): boolean {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(name)) return false;
  return name.split('/').every((segment) => segment !== '');
}
