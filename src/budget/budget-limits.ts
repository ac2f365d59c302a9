/**
 * What a budget can limit, and the YAML keys that set the limits. One list so the bundle rule's
 * attributes, the root `budgets:` section, the checker and the report never disagree.
 */
import { s, type Schema } from '../rule/schema.js';

/** Measures over a set of cooked assets (a bundle's closure, or what a pattern needs). */
export const BUDGET_MEASURES = ['download_bytes', 'vram_bytes', 'triangles', 'textures', 'texture_size', 'audio_seconds', 'assets'] as const;
export type BudgetMeasure = (typeof BUDGET_MEASURES)[number];

/** Over budget fails the build (`error`, the default) or only prints (`warning`). */
export type BudgetSeverity = 'error' | 'warning';

/** The YAML keys: `max_<measure>`, plus `budget: error | warning`. */
export interface BudgetLimits {
  /** Bytes a player downloads: the bundle tars, or the cooked outputs of unbundled assets. */
  max_download_bytes?: number;
  /** GPU memory of textures in their GPU formats, whole mip chains included. */
  max_vram_bytes?: number;
  /** Triangles of every model's LOD0. */
  max_triangles?: number;
  /** How many textures. */
  max_textures?: number;
  /** The largest texture's longer edge, in pixels. */
  max_texture_size?: number;
  /** Seconds of audio. */
  max_audio_seconds?: number;
  /** How many assets (bundles themselves not counted). */
  max_assets?: number;
  budget?: BudgetSeverity;
}

export const LIMIT_KEYS: Readonly<Record<BudgetMeasure, keyof BudgetLimits>> = {
  download_bytes: 'max_download_bytes',
  vram_bytes: 'max_vram_bytes',
  triangles: 'max_triangles',
  textures: 'max_textures',
  texture_size: 'max_texture_size',
  audio_seconds: 'max_audio_seconds',
  assets: 'max_assets',
};

/** Schema fields, spread into the bundle rule's attributes and the root `budgets:` entries. */
export const budgetLimitShape: { [K in keyof BudgetLimits]-?: Schema<NonNullable<BudgetLimits[K]>> } = {
  max_download_bytes: s.integer({ min: 0 }).describe('budget: bytes to download'),
  max_vram_bytes: s.integer({ min: 0 }).describe('budget: texture GPU memory in bytes (mips included)'),
  max_triangles: s.integer({ min: 0 }).describe('budget: LOD0 triangles of all models'),
  max_textures: s.integer({ min: 0 }).describe('budget: number of textures'),
  max_texture_size: s.integer({ min: 0 }).describe('budget: longest edge of the largest texture (px)'),
  max_audio_seconds: s.number({ min: 0 }).describe('budget: seconds of audio'),
  max_assets: s.integer({ min: 0 }).describe('budget: number of assets'),
  budget: s.enum(['error', 'warning'] as const).describe('over budget fails the build (error) or warns'),
};

/** The limits set in an attribute bag (a bundle's attributes hold other things too). */
export function limitsIn(attrs: Readonly<Record<string, unknown>>): Partial<Record<BudgetMeasure, number>> {
  const limits: Partial<Record<BudgetMeasure, number>> = {};
  for (const measure of BUDGET_MEASURES) {
    const value = attrs[LIMIT_KEYS[measure]];
    if (typeof value === 'number') limits[measure] = value;
  }
  return limits;
}
