/**
 * The seed's AssetBundler GroupingStrategy: which bundle file each asset goes into. Every asset
 * lands in exactly one group, so nothing is duplicated within a bundle target; assets reachable
 * from several roots go to a `shared` group under the `usage` strategy.
 */
import type { AssetType, LoadPriority } from '../format/asset-type.js';
import { LOAD_PRIORITIES } from '../format/asset-type.js';

export const GROUPING_STRATEGIES = ['none', 'type', 'usage', 'level', 'priority'] as const;
export type GroupingStrategy = (typeof GROUPING_STRATEGIES)[number];

export interface GroupableAsset {
  id: string;
  label: string;
  type: AssetType;
  priority: LoadPriority;
  deps: readonly string[];
  /** Bytes the asset will occupy (for `max_size`). */
  size: number;
}

export interface AssetGroup<T> {
  /** Group name: `main`, a type, a package path, a priority, a root's name or `shared`. */
  key: string;
  assets: T[];
}

/**
 * Splits assets (already in load order) into groups, keeping load order inside each group.
 * `roots` are the bundle target's direct dependencies (asset ids) for the `usage` strategy.
 */
export function groupAssets<T extends GroupableAsset>(assets: readonly T[], strategy: GroupingStrategy, roots: readonly { id: string; label: string }[]): AssetGroup<T>[] {
  const keyOf = keyFunction(assets, strategy, roots);
  const groups = new Map<string, T[]>();
  for (const asset of assets) {
    const key = keyOf(asset);
    const list = groups.get(key);
    if (list) list.push(asset);
    else groups.set(key, [asset]);
  }
  const keys = [...groups.keys()].sort(strategy === 'priority' ? byPriority : byName);
  return keys.map((key) => ({ key, assets: groups.get(key)! }));
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPriority(a: string, b: string): number {
  return LOAD_PRIORITIES.indexOf(a as LoadPriority) - LOAD_PRIORITIES.indexOf(b as LoadPriority);
}

function packageOf(label: string): string {
  const colon = label.indexOf(':');
  return label.slice(2, colon < 0 ? undefined : colon) || 'root';
}

function keyFunction<T extends GroupableAsset>(assets: readonly T[], strategy: GroupingStrategy, roots: readonly { id: string; label: string }[]): (asset: T) => string {
  switch (strategy) {
    case 'none':
      return () => 'main';
    case 'type':
      return (a) => a.type;
    case 'level':
      return (a) => packageOf(a.label);
    case 'priority':
      return (a) => a.priority;
    case 'usage': {
      const users = usersByRoot(assets, roots);
      return (a) => {
        const of = users.get(a.id);
        if (!of || of.size !== 1) return 'shared';
        const [root] = of;
        return root!.slice(root!.indexOf(':') + 1);
      };
    }
  }
}

/** For each asset, the labels of the roots it is reachable from. */
function usersByRoot(assets: readonly GroupableAsset[], roots: readonly { id: string; label: string }[]): Map<string, Set<string>> {
  const byId = new Map(assets.map((a) => [a.id, a]));
  const users = new Map<string, Set<string>>();
  for (const root of roots) {
    const stack = [root.id];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const set = users.get(id) ?? new Set<string>();
      set.add(root.label);
      users.set(id, set);
      for (const dep of byId.get(id)?.deps ?? []) stack.push(dep);
    }
  }
  return users;
}

/** The seed's pack_group: fill a piece until the next asset would cross `maxSize` (0 = no limit). */
export function splitBySize<T extends { size: number }>(assets: readonly T[], maxSize: number): T[][] {
  if (maxSize <= 0) return [assets.slice()];
  const pieces: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const asset of assets) {
    if (current.length > 0 && size + asset.size > maxSize) {
      pieces.push(current);
      current = [];
      size = 0;
    }
    current.push(asset);
    size += asset.size;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}
