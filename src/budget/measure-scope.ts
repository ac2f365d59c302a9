/**
 * One figure per measure over a set of assets, with what each asset contributes (the table's
 * "top offenders"). Download bytes count a bundle's own files (tars and catalog: what a player
 * fetches) and, for assets no bundle in the set packs, their cooked outputs; every other measure
 * is summed over the assets themselves, bundles excluded.
 */
import { statNumber, type AssetFacts } from './asset-facts.js';
import { BUDGET_MEASURES, type BudgetMeasure } from './budget-limits.js';

export interface Contribution {
  label: string;
  value: number;
}

export interface MeasuredUse {
  use: number;
  /** Largest first. */
  contributions: Contribution[];
}

export type ScopeUse = Record<BudgetMeasure, MeasuredUse>;

export interface ScopeMembers {
  /** Every asset in the scope, each once. */
  labels: readonly string[];
  /** Assets that a bundle in the scope packs (their bytes are inside its tars). */
  packed: ReadonlySet<string>;
}

export function measureScope(members: ScopeMembers, facts: ReadonlyMap<string, AssetFacts>): ScopeUse {
  const lists = Object.fromEntries(BUDGET_MEASURES.map((m) => [m, [] as Contribution[]])) as Record<BudgetMeasure, Contribution[]>;
  let download = 0;
  for (const label of members.labels) {
    const asset = facts.get(label);
    if (!asset) continue;
    if (asset.type === 'bundle') {
      download += asset.outputBytes;
      continue;
    }
    if (!members.packed.has(label)) download += asset.outputBytes;
    lists.download_bytes.push({ label, value: asset.outputBytes });
    lists.assets.push({ label, value: asset.outputBytes });
    const gpu = statNumber(asset, 'gpu_bytes');
    if (gpu > 0) lists.vram_bytes.push({ label, value: gpu });
    if (asset.type === 'model') {
      const triangles = statNumber(asset, 'lod0_triangles') || statNumber(asset, 'triangles');
      lists.triangles.push({ label, value: triangles });
    }
    if (asset.type === 'texture') {
      lists.textures.push({ label, value: gpu });
      lists.texture_size.push({ label, value: Math.max(statNumber(asset, 'width'), statNumber(asset, 'height')) });
    }
    if (asset.type === 'audio') lists.audio_seconds.push({ label, value: statNumber(asset, 'duration_s') });
  }
  const sum = (list: Contribution[]) => list.reduce((n, c) => n + c.value, 0);
  const use: Record<BudgetMeasure, number> = {
    download_bytes: download,
    vram_bytes: sum(lists.vram_bytes),
    triangles: sum(lists.triangles),
    textures: lists.textures.length,
    texture_size: lists.texture_size.reduce((n, c) => Math.max(n, c.value), 0),
    audio_seconds: Math.round(sum(lists.audio_seconds) * 1000) / 1000,
    assets: lists.assets.length,
  };
  const byValue = (a: Contribution, b: Contribution) => b.value - a.value || (a.label < b.label ? -1 : 1);
  return Object.fromEntries(BUDGET_MEASURES.map((m) => [m, { use: use[m], contributions: lists[m].sort(byValue) }])) as ScopeUse;
}
