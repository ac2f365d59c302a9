/**
 * The seed's MemoryCache + GpuCache accounting: LRU over decoded assets with pin counts, a total
 * budget and per-category budgets (texture, model, audio, other). When an insert takes a budget
 * over, least recently used unpinned assets go until that budget is at 90%. An asset that cannot
 * fit (too big, or everything else pinned) is simply not cached: usage never exceeds a budget.
 */
export type CacheCategory = 'texture' | 'model' | 'audio' | 'other';
export const CACHE_CATEGORIES: readonly CacheCategory[] = ['texture', 'model', 'audio', 'other'];

export interface CacheBudgets {
  /** Bytes for everything (default Infinity). */
  total?: number;
  texture?: number;
  model?: number;
  audio?: number;
  other?: number;
}

export interface MemoryUsage {
  total: number;
  texture: number;
  model: number;
  audio: number;
  other: number;
  /** GPU bytes the cached textures would occupy once uploaded. */
  gpu: number;
}

interface Slot<V> {
  value: V;
  category: CacheCategory;
  size: number;
  gpuBytes: number;
}

export function categoryOf(type: string): CacheCategory {
  return type === 'texture' || type === 'model' || type === 'audio' ? type : 'other';
}

export class MemoryCache<V> {
  /** Map insertion order is the LRU order: first = least recently used. */
  private readonly slots = new Map<string, Slot<V>>();
  private readonly pins = new Map<string, number>();
  private readonly used: MemoryUsage = { total: 0, texture: 0, model: 0, audio: 0, other: 0, gpu: 0 };
  evictions = 0;

  constructor(private readonly budgets: CacheBudgets = {}) {}

  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** Inserts (or replaces) and returns whether the value is now cached. */
  put(key: string, category: CacheCategory, size: number, gpuBytes: number, value: V): boolean {
    this.remove(key);
    const categoryBudget = this.budgets[category] ?? Infinity;
    const totalBudget = this.budgets.total ?? Infinity;
    if (size > categoryBudget || size > totalBudget) return false;
    this.slots.set(key, { value, category, size, gpuBytes });
    this.add(category, size, gpuBytes, 1);
    if (this.used[category] > categoryBudget) this.shrink(category, categoryBudget * 0.9, key);
    if (this.used.total > totalBudget) this.shrink(undefined, totalBudget * 0.9, key);
    if (this.used[category] > categoryBudget || this.used.total > totalBudget) {
      this.remove(key);
      return false;
    }
    return true;
  }

  remove(key: string): boolean {
    const slot = this.slots.get(key);
    if (!slot) return false;
    this.slots.delete(key);
    this.add(slot.category, slot.size, slot.gpuBytes, -1);
    return true;
  }

  /** Pins survive eviction; a pin on an asset not yet cached applies when it arrives. */
  pin(key: string): void {
    this.pins.set(key, (this.pins.get(key) ?? 0) + 1);
  }

  unpin(key: string): void {
    const count = (this.pins.get(key) ?? 0) - 1;
    if (count > 0) this.pins.set(key, count);
    else this.pins.delete(key);
  }

  isPinned(key: string): boolean {
    return this.pins.has(key);
  }

  usage(): MemoryUsage {
    return { ...this.used };
  }

  get size(): number {
    return this.slots.size;
  }

  private add(category: CacheCategory, size: number, gpuBytes: number, sign: 1 | -1): void {
    this.used.total += sign * size;
    this.used[category] += sign * size;
    this.used.gpu += sign * gpuBytes;
  }

  /** Evicts LRU unpinned slots (of `category`, or any) until usage ≤ `target`; `keep` goes last. */
  private shrink(category: CacheCategory | undefined, target: number, keep: string): void {
    const current = () => (category ? this.used[category] : this.used.total);
    for (const [key, slot] of this.slots) {
      if (current() <= target) return;
      if (key === keep || this.pins.has(key) || (category && slot.category !== category)) continue;
      this.remove(key);
      this.evictions++;
    }
  }
}
