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

import type { ModelOptions, ModelPlatformSettings } from './options.js';
export type { ModelOptions, ModelPlatformSettings } from './options.js';

export const NAME = 'model';


export const DEFAULTS: ModelOptions = {
  quantize: true,
  tangents: true,
  resample_tolerance: 1e-4,
  input_validation: 'error',
};


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
