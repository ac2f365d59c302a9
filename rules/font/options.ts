/**
 * The `font` rule's options and platform settings, each declared once (schema, default,
 * description; types inferred). A leaf: index.ts and the cook helpers import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

export const FONT_OPTIONS = s.object({
  // Or the literal characters to keep, e.g. "0123456789:".
  charset: s.string().default('ascii').describe('ascii | latin1 | literal characters'),
  // Package-relative, e.g. the game's strings; its characters are kept too.
  charset_file: s.string().describe('package-relative text file with more characters'),
  size: s.integer({ min: 4, max: 512 }).default(32).describe('em size in pixels'),
  // sdf scales (needs the SDF shader); bitmap is anti-aliased coverage at `size`.
  mode: s.enum(['sdf', 'bitmap'] as const).default('sdf').describe('atlas kind'),
  // Pixels on each side of the outline.
  sdf_range: s.number({ min: 0.5, max: 64 }).default(4).describe('SDF spread in pixels'),
  padding: s.integer({ min: 0, max: 32 }).default(1).describe('pixels between glyphs'),
  subset: s.boolean().default(true).describe('also output <name>.subset.otf'),
});
export type FontOptions = Infer<typeof FONT_OPTIONS>;

export const FONT_SETTINGS = s.object({
  max_atlas_size: s.integer({ min: 16 }).default(2048).describe('largest atlas side in pixels'),
});
export type FontPlatformSettings = Infer<typeof FONT_SETTINGS>;
