/**
 * The records a bundle's assets are kept under: every entry of every asset (an asset is all of
 * its outputs: LODs, atlases, variants), each as its tiling parts or whole, plus the bundle's
 * index block. Eviction takes all of them as referenced, a critical asset's as never to evict,
 * and a pinned asset's as kept; naming only an asset's main entry would leave its other outputs
 * to be evicted as if nothing used them.
 */
import type { BundleIndex, IndexEntry } from '../../format/index-format.js';
import { contentKey } from './cache-key.js';
import { entryDigests } from './cached-read.js';

export interface BundleRecords {
  all: Set<string>;
  critical: Set<string>;
  /** Asset id → its record keys. */
  byAsset: Map<string, string[]>;
}

/** `indexRecord` is the key of the bundle's kept index block (needed to reopen it, so critical). */
export function bundleRecords(index: BundleIndex, indexRecord: string): BundleRecords {
  const byPath = new Map<string, IndexEntry>(index.entries.map((e) => [e.path, e]));
  const all = new Set<string>([indexRecord]);
  const critical = new Set<string>([indexRecord]);
  const byAsset = new Map<string, string[]>();
  for (const asset of index.assets) {
    if (asset.external) continue;
    const keys = asset.entries.flatMap((path) => {
      const entry = byPath.get(path);
      return entry ? entryDigests(entry).map(contentKey) : [];
    });
    byAsset.set(asset.id, keys);
    for (const k of keys) {
      all.add(k);
      if (asset.priority === 'critical') critical.add(k);
    }
  }
  return { all, critical, byAsset };
}
