/**
 * The `ui` rule's options and platform settings, each declared once (schema, default,
 * description; types inferred). A leaf: index.ts and the cook helpers import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

export const UI_OPTIONS = s.object({
  // Transparent, on top of extrusion.
  padding: s.integer({ min: 0, max: 64 }).default(2).describe('pixels between sprites'),
  // Each sprite's edge repeated outward, against filtering/mip bleeding.
  extrude: s.integer({ min: 0, max: 16 }).default(1).describe('pixels of edge extrusion'),
  // The offset is kept in the rects.
  trim: s.boolean().default(false).describe('trim transparent borders'),
  // Some GPU formats and older GPUs need it.
  pot: s.boolean().default(true).describe('power-of-two atlas'),
  // PVRTC and some block formats want it.
  square: s.boolean().default(false).describe('square atlas'),
  // Unset: only the platform's `max_size` caps the atlas.
  max_size: s.integer({ min: 1 }).describe('largest atlas side (capped by the platform)'),
});
export type UiOptions = Infer<typeof UI_OPTIONS>;

export const UI_SETTINGS = s.object({
  max_size: s.integer({ min: 1 }).default(4096).describe('largest atlas side in pixels'),
});
export type UiPlatformSettings = Infer<typeof UI_SETTINGS>;
