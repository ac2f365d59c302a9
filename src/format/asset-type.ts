/** The seed's AssetType, as the strings users and the runtime see. */
export const ASSET_TYPES = [
  'texture',
  'model',
  'animation',
  'audio',
  'shader',
  'material',
  'particle',
  'font',
  'ui',
  'data',
  'script',
  'files',
  'bundle',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** The seed's LoadPriority, most urgent first. The order is the runtime's queue order too. */
export const LOAD_PRIORITIES = ['critical', 'high', 'normal', 'low', 'on_demand'] as const;
export type LoadPriority = (typeof LOAD_PRIORITIES)[number];

export function priorityRank(priority: LoadPriority): number {
  return LOAD_PRIORITIES.indexOf(priority);
}
