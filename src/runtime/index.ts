/**
 * `kiln/runtime`: the game-side reader for kiln bundles and catalogs. Browser-safe: the only
 * Node-specific code (`fileSource`) loads `node:fs` lazily, on first use. The disk cache's folder
 * store needs `node:fs` and is its own entry point, `kiln/runtime/folder-store`.
 */
export { openBundle, BundleReader, type OpenOptions } from './bundle-reader.js';
export { openCatalog, CatalogReader, type CatalogOptions } from './catalog-reader.js';
export { AssetLoader, createLoader, type LoaderOptions, type LoadOptions } from './asset-loader.js';
export type { ByteSource } from './byte-source.js';
export { memorySource } from './memory-source.js';
export { httpSource, type HttpSourceOptions } from './http-source.js';
export { fileSource } from './file-source.js';
export { StreamHandle, type StreamEvents, type StreamState } from './stream-handle.js';
export type { LoadedAsset, LoadedTexture, LoadedModel, LoadedAudio, LoadedData, LoadedFont, LoadedUi, LoadedShader, ShaderVariant, LoadedBytes, TextureMip } from './loaded-asset.js';
export { MemoryCache, type CacheBudgets, type CacheCategory, type MemoryUsage } from './memory-cache.js';
export { BANDWIDTH_WINDOW_MS, type RuntimeMetrics } from './metrics.js';
export { GpuMemory, type GpuAllocator, type GpuOptions, type GpuUsage } from './gpu-memory.js';
export { systemClock, type Clock } from './clock.js';
export { RuntimeError, type RuntimeErrorCode } from './runtime-error.js';
export { ReadScheduler, type ReadUrgency } from './read-scheduler.js';
export { BandwidthLimiter } from './bandwidth-limiter.js';
export type { Decoders } from './decompress.js';
export { DiskCache, type DiskCacheOptions, type DiskCacheMetrics } from './disk-cache/disk-cache.js';
export type { DiskStore, StoredEntry, StorageEstimate } from './disk-cache/disk-store.js';
export { memoryStore, type MemoryStore } from './disk-cache/memory-store.js';
export { indexedDbStore } from './disk-cache/indexeddb-store.js';
export { cacheStorageStore } from './disk-cache/cache-storage-store.js';
export { prefetch, downloadSize, type PrefetchTarget, type PrefetchProgress, type PrefetchOptions } from './disk-cache/prefetch.js';
export { HotReloadClient, type HotReloadClientOptions, type ReloadEvent, type ReloadHandler, type HotReloadEvents } from './hot-reload-client.js';
export { LiveAsset } from './hot-reload-live-asset.js';
export { HotReloadMetrics, type HotReloadMetricsSnapshot } from './hot-reload-metrics.js';
// The typed contract (asset types, index, catalog, protocol, typed meta), as `kiln/format` has it.
export * from '../format/index.js';
