/**
 * The `material` rule's options and platform settings, each declared once (schema, default,
 * description; types inferred). A leaf: index.ts and the cook helpers import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

export const MATERIAL_OPTIONS = s.object({
  // error by default: an undeclared param is usually a typo.
  unknown_params: s.enum(['error', 'warning'] as const).default('error').describe('severity of a param the shader does not declare'),
  // false: warn and skip the checks.
  require_reflection: s.boolean().default(false).describe('fail when the shader has no reflection'),
});
export type MaterialOptions = Infer<typeof MATERIAL_OPTIONS>;

export const MATERIAL_SETTINGS = s.object({
  // The platform's sampler budget.
  max_textures: s.integer({ min: 1 }).default(16).describe('most texture slots per material'),
});
export type MaterialPlatformSettings = Infer<typeof MATERIAL_SETTINGS>;
