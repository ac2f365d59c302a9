/**
 * The `model` rule's options and platform settings, each declared once (schema, default,
 * description; types inferred). A target's `lods`, `lod_errors`, `lod_error`, `meshopt` and
 * `max_embedded_texture_size` have no default of their own: unset, the platform's apply.
 * A leaf: cook files and index.ts import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

const INPUT_VALIDATION = ['error', 'warn', 'off'] as const;

// Finest first; a ratio is of LOD0's triangle count.
const lods = () => s.array(s.number({ min: 0, max: 1 }), { min: 1, max: 8 }).describe('LOD triangle ratios, finest first');
// By simplification error instead of ratio (relative to mesh size); LOD0 stays full.
const lodErrors = () => s.array(s.number({ min: 0, max: 1 }), { min: 1, max: 8 }).describe('LOD error targets');
// Largest error a ratio LOD may introduce before it stops simplifying (relative to mesh size).
const lodError = () => s.number({ min: 0, max: 1 }).describe('error cap for ratio LODs');
// EXT_meshopt_compression: the runtime needs the meshopt decoder.
const meshopt = () => s.boolean().describe('EXT_meshopt_compression');
const maxEmbedded = () => s.integer({ min: 0 }).describe('downscale embedded images; 0 = keep');

export const MODEL_OPTIONS = s.object({
  lods: lods(),
  lod_errors: lodErrors(),
  lod_error: lodError(),
  meshopt: meshopt(),
  quantize: s.boolean().default(true).describe('KHR_mesh_quantization'),
  tangents: s.boolean().default(true).describe('generate missing MikkTSpace tangents'),
  // 0 keeps every keyframe.
  resample_tolerance: s.number({ min: 0, max: 1 }).default(1e-4).describe('animation resampling tolerance'),
  // Fail the target, warn, or skip validating the input.
  input_validation: s.enum(INPUT_VALIDATION).default('error').describe('validator errors in the source'),
  // Images that stay embedded (no texture target in deps).
  max_embedded_texture_size: maxEmbedded(),
  // For stock glTF loaders, which do not know kiln's texture reference.
  fallback_texture_size: s.integer({ min: 1, max: 4096 }).default(256).describe('longest side of the fallback image a referenced texture keeps'),
  // false ships only the fallback image.
  embed_basisu: s.boolean().default(true).describe('embed the cooked Basis KTX2 through KHR_texture_basisu on Basis platforms'),
});
export type ModelOptions = Infer<typeof MODEL_OPTIONS>;

/** `platforms.<name>.model` (merged over `rules.model`) in the root assets.yaml. */
export const MODEL_SETTINGS = s.object({
  // Used by targets that set neither `lods` nor `lod_errors`; `lod_errors` wins when set.
  lods: lods().default([1, 0.5, 0.25]),
  lod_errors: lodErrors(),
  lod_error: lodError().default(0.05),
  meshopt: meshopt().default(false),
  // LOD0, instances counted.
  max_triangles: s.integer({ min: 0 }).describe('LOD0 triangle budget'),
  max_vertices: s.integer({ min: 0 }).describe('LOD0 vertex budget'),
  budget: s.enum(['error', 'warning'] as const).default('error').describe('budget overrun severity'),
  max_embedded_texture_size: maxEmbedded().default(0),
});
export type ModelPlatformSettings = Infer<typeof MODEL_SETTINGS>;
