/**
 * The order assets and parts sit in a bundle is the order a game wants them: most urgent
 * priority first (an asset inherits the urgency of anything that needs it), dependencies before
 * their dependents, ties broken by label so the order never depends on input order. Inside an
 * entry, parts are listed smallest mip / coarsest LOD / first chunk first.
 */
import { LOAD_PRIORITIES, priorityRank, type LoadPriority } from '../format/asset-type.js';
import type { PartKind } from '../format/part.js';

export interface OrderableAsset {
  id: string;
  label: string;
  priority: LoadPriority;
  /** Ids of direct dependencies (ids not in the set are ignored). */
  deps: readonly string[];
}

/** Each asset's priority raised to the most urgent asset that (transitively) depends on it. */
export function effectivePriorities(assets: readonly OrderableAsset[]): Map<string, LoadPriority> {
  const byId = new Map(assets.map((a) => [a.id, a]));
  const rank = new Map(assets.map((a) => [a.id, priorityRank(a.priority)]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const asset of assets) {
      const mine = rank.get(asset.id)!;
      for (const dep of asset.deps) {
        if (byId.has(dep) && rank.get(dep)! > mine) {
          rank.set(dep, mine);
          changed = true;
        }
      }
    }
  }
  return new Map([...rank].map(([id, r]) => [id, LOAD_PRIORITIES[r]!]));
}

/** Load order: repeatedly take the most urgent ready asset (all its deps placed), then by label. */
export function loadOrder<T extends OrderableAsset>(assets: readonly T[]): T[] {
  const priorities = effectivePriorities(assets);
  const ids = new Set(assets.map((a) => a.id));
  const placed = new Set<string>();
  const remaining = [...assets].sort((a, b) => compare(a, b, priorities));
  const out: T[] = [];
  while (remaining.length > 0) {
    let pick = remaining.findIndex((a) => a.deps.every((d) => !ids.has(d) || placed.has(d) || d === a.id));
    if (pick < 0) pick = 0; // a dependency cycle (the graph forbids them): fall back to the sort order
    const [asset] = remaining.splice(pick, 1);
    placed.add(asset!.id);
    out.push(asset!);
  }
  return out;
}

function compare(a: OrderableAsset, b: OrderableAsset, priorities: Map<string, LoadPriority>): number {
  const byRank = priorityRank(priorities.get(a.id)!) - priorityRank(priorities.get(b.id)!);
  if (byRank !== 0) return byRank;
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

const KIND_ORDER: Record<PartKind, number> = { header: 0, mip: 1, lod: 1, chunk: 1 };

/** Stream order of parts: header first; mips and LODs from the highest index down; chunks up. */
export function streamOrder<P extends { kind: PartKind; index: number }>(parts: readonly P[]): P[] {
  return [...parts].sort((a, b) => {
    const byKind = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
    if (byKind !== 0) return byKind;
    if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
    return a.kind === 'chunk' || a.kind === 'header' ? a.index - b.index : b.index - a.index;
  });
}
