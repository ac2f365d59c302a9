/**
 * `model`: glTF 2.0 (.gltf with external or data: resources, or .glb) → one GLB per LOD, optimized
 * for the platform: deduplicated, welded, MikkTSpace tangents where normal maps need them,
 * vertex-cache/fetch ordered, quantized, optionally EXT_meshopt_compression, with a LOD chain
 * simplified by meshoptimizer. Textures listed in `deps` are referenced by asset id and keep a
 * small standard fallback image (KHR_texture_basisu with the cooked KTX2 on Basis platforms).
 * Heavy libraries load lazily (./codecs.ts): importing this file costs nothing.
 */
import { defineRule } from '../../src/rule/rule.js';
import { s } from '../../src/rule/schema.js';
import type { ModelCodecs } from './codecs.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';

export const NAME = 'model';

export interface ModelOptions {
  /** LOD ratios of LOD0's triangle count, finest first (`[1.0, 0.5, 0.25]`). Overrides the platform's. */
  lods?: number[];
  /** LODs by simplification error instead of ratio (relative to mesh size, e.g. `[0.01, 0.05]`); LOD0 stays full. */
  lod_errors?: number[];
  /** Largest error a ratio LOD may introduce before it stops simplifying (relative to mesh size). */
  lod_error?: number;
  /** Compress geometry with EXT_meshopt_compression (the runtime needs the meshopt decoder). Overrides the platform's. */
  meshopt?: boolean;
  /** Quantize vertex attributes (KHR_mesh_quantization). */
  quantize?: boolean;
  /** Generate MikkTSpace tangents for normal-mapped primitives that have none. */
  tangents?: boolean;
  /** Animation resampling tolerance; 0 keeps every keyframe. */
  resample_tolerance?: number;
  /** What validator errors in the source do: fail the target, warn, or skip validating the input. */
  input_validation?: 'error' | 'warn' | 'off';
  /** Downscale images that stay embedded (no texture target in deps) to at most this size; 0 = keep. */
  max_embedded_texture_size?: number;
  /** Longest side of the standard fallback image a referenced texture keeps for stock glTF loaders. */
  fallback_texture_size?: number;
  /** Embed the texture target's cooked Basis KTX2 (KHR_texture_basisu) on Basis platforms; false ships only the fallback. */
  embed_basisu?: boolean;
}

export const DEFAULTS: ModelOptions = {
  quantize: true,
  tangents: true,
  resample_tolerance: 1e-4,
  input_validation: 'error',
};

/** `platforms.<name>.model` (merged over `rules.model`) in the root assets.yaml. */
export interface ModelPlatformSettings {
  /** Default LOD ratios for targets that set neither `lods` nor `lod_errors`. */
  lods?: number[];
  /** Default LOD error targets (used instead of `lods` when set). */
  lod_errors?: number[];
  /** Default error cap for ratio LODs. */
  lod_error?: number;
  /** Default for the `meshopt` attribute. */
  meshopt?: boolean;
  /** Triangle budget for LOD0 (instances counted). */
  max_triangles?: number;
  /** Vertex budget for LOD0. */
  max_vertices?: number;
  /** Whether exceeding a budget fails the target (`error`) or only warns. */
  budget?: 'error' | 'warning';
  /** Default for `max_embedded_texture_size`. */
  max_embedded_texture_size?: number;
}

const ratio = () => s.number({ min: 0, max: 1 });
const lodShape = {
  lods: s.array(ratio(), { min: 1, max: 8 }).describe('LOD triangle ratios, finest first'),
  lod_errors: s.array(s.number({ min: 0, max: 1 }), { min: 1, max: 8 }).describe('LOD error targets'),
  lod_error: s.number({ min: 0, max: 1 }).describe('error cap for ratio LODs'),
  meshopt: s.boolean().describe('EXT_meshopt_compression'),
};

export function modelRule(codecs?: ModelCodecs | (() => Promise<ModelCodecs>)) {
  const getCodecs = async (): Promise<ModelCodecs> => {
    if (typeof codecs === 'function') return codecs();
    if (codecs) return codecs;
    return (await import('./codecs.js')).loadModelCodecs();
  };
  return defineRule<ModelOptions, ModelPlatformSettings>({
    name: NAME,
    // 2: referenced textures keep a standard fallback source (+ KHR_texture_basisu on Basis platforms).
    version: 2,
    type: 'model',
    description: 'glTF/GLB → optimized GLB per LOD (meshoptimizer LODs, quantization, tangents, optional meshopt), validated',
    attributes: s.object<ModelOptions>({
      ...lodShape,
      quantize: s.boolean().describe('KHR_mesh_quantization'),
      tangents: s.boolean().describe('generate missing MikkTSpace tangents'),
      resample_tolerance: s.number({ min: 0, max: 1 }).describe('animation resampling tolerance'),
      input_validation: s.enum(['error', 'warn', 'off'] as const).describe('validator errors in the source'),
      max_embedded_texture_size: s.integer({ min: 0 }).describe('downscale embedded images; 0 = keep'),
      fallback_texture_size: s.integer({ min: 1, max: 4096 }).describe('longest side of the fallback image a referenced texture keeps'),
      embed_basisu: s.boolean().describe('embed the cooked Basis KTX2 through KHR_texture_basisu on Basis platforms'),
    }),
    defaults: DEFAULTS,
    platformSettings: s.object<ModelPlatformSettings>({
      ...lodShape,
      max_triangles: s.integer({ min: 0 }).describe('LOD0 triangle budget'),
      max_vertices: s.integer({ min: 0 }).describe('LOD0 vertex budget'),
      budget: s.enum(['error', 'warning'] as const).describe('budget overrun severity'),
      max_embedded_texture_size: s.integer({ min: 0 }).describe('downscale embedded images'),
    }),
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['@gltf-transform/core', '@gltf-transform/functions', '@gltf-transform/extensions', 'meshoptimizer', 'mikktspace', 'draco3dgltf', 'gltf-validator', 'sharp'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    async cook(ctx) {
      const { cookModel } = await import('./cook-model.js');
      await cookModel(ctx, await getCodecs());
    },
    async validate(ctx) {
      const { validateModel } = await import('./cook-model.js');
      await validateModel(ctx, await getCodecs());
    },
  });
}
