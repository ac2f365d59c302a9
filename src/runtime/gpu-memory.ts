/**
 * The GPU side of the memory budget (the seed's GpuCache). kiln cannot see GPU memory, so the
 * game tells it: `uploaded(assetId, bytes)` after creating a texture or buffer for an asset,
 * `freed(assetId)` after deleting it, `used(assetId)` when drawing with it (LRU order). With a
 * `budget`, an upload that takes the total over it evicts least recently used, unpinned GPU
 * copies down to 90% of the budget by calling the game's allocator `free(assetId)` — the game
 * deletes its GPU object there — so GPU memory stays within budget the same way CPU copies do.
 * A game that registers no allocator gets `over` in the usage instead of evictions.
 */
export interface GpuAllocator {
  /** Delete the GPU objects of this asset (kiln evicts it to stay within the budget). */
  free(assetId: string): void;
}

export interface GpuOptions {
  /** Bytes of GPU memory kiln-loaded assets may take (default: unlimited). */
  budget?: number;
  allocator?: GpuAllocator;
}

export interface GpuUsage {
  /** Bytes the game reported as uploaded and not yet freed. */
  used: number;
  budget: number;
  /** Assets with a GPU copy. */
  resident: number;
  uploads: number;
  frees: number;
  /** GPU copies kiln asked the allocator to free. */
  evictions: number;
  /** Bytes above the budget that could not be evicted (everything pinned, or no allocator). */
  over: number;
}

export class GpuMemory {
  /** Map order is LRU order: first = least recently used. */
  private readonly resident = new Map<string, number>();
  private usedBytes = 0;
  private uploads = 0;
  private frees = 0;
  private evictions = 0;
  private allocator: GpuAllocator | undefined;
  readonly budget: number;

  constructor(
    options: GpuOptions = {},
    private readonly isPinned: (assetId: string) => boolean = () => false,
  ) {
    this.budget = options.budget ?? Infinity;
    this.allocator = options.allocator;
  }

  /** Registers (or replaces) the allocator kiln calls to evict GPU copies. */
  setAllocator(allocator: GpuAllocator | undefined): void {
    this.allocator = allocator;
  }

  /** The game created (or replaced) the GPU copy of an asset, taking `bytes`. */
  uploaded(assetId: string, bytes: number): void {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`GPU bytes for ${assetId} must be a finite number ≥ 0, got ${bytes}`);
    this.drop(assetId);
    this.resident.set(assetId, bytes);
    this.usedBytes += bytes;
    this.uploads++;
    if (this.usedBytes > this.budget) this.evict(assetId);
  }

  /** The game deleted the GPU copy of an asset. */
  freed(assetId: string): void {
    if (this.drop(assetId)) this.frees++;
  }

  /** The game drew with the asset: it becomes the most recently used. */
  used(assetId: string): void {
    const bytes = this.resident.get(assetId);
    if (bytes === undefined) return;
    this.resident.delete(assetId);
    this.resident.set(assetId, bytes);
  }

  has(assetId: string): boolean {
    return this.resident.has(assetId);
  }

  usage(): GpuUsage {
    return {
      used: this.usedBytes,
      budget: this.budget,
      resident: this.resident.size,
      uploads: this.uploads,
      frees: this.frees,
      evictions: this.evictions,
      over: Math.max(0, this.usedBytes - this.budget),
    };
  }

  private drop(assetId: string): boolean {
    const bytes = this.resident.get(assetId);
    if (bytes === undefined) return false;
    this.resident.delete(assetId);
    this.usedBytes -= bytes;
    return true;
  }

  private evict(keep: string): void {
    const allocator = this.allocator;
    if (!allocator) return;
    const target = this.budget * 0.9;
    for (const assetId of [...this.resident.keys()]) {
      if (this.usedBytes <= target) return;
      if (assetId === keep || this.isPinned(assetId)) continue;
      this.drop(assetId);
      this.evictions++;
      allocator.free(assetId);
    }
  }
}
