/**
 * `model`: glTF 2.0 (.gltf with external or data: resources, or .glb) → one GLB per LOD, optimized
 * for the platform: deduplicated, welded, MikkTSpace tangents where normal maps need them,
 * vertex-cache/fetch ordered, quantized, optionally EXT_meshopt_compression, with a LOD chain
 * simplified by meshoptimizer. Textures listed in `deps` are referenced by asset id and keep a
 * small standard fallback image (KHR_texture_basisu with the cooked KTX2 on Basis platforms).
 * Heavy libraries load lazily (./codecs.ts): importing this file costs nothing.
 */
import { defineRule } from '../../src/rule/rule.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';
import type { ModelCodecs } from './codecs.js';
import { MODEL_OPTIONS, MODEL_SETTINGS, type ModelOptions, type ModelPlatformSettings } from './options.js';

export { MODEL_OPTIONS, MODEL_SETTINGS, type ModelOptions, type ModelPlatformSettings } from './options.js';

export const NAME = 'model';

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
    attributes: MODEL_OPTIONS,
    platformSettings: MODEL_SETTINGS,
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['@gltf-transform/core', '@gltf-transform/functions', '@gltf-transform/extensions', 'meshoptimizer', 'mikktspace', 'draco3dgltf', 'gltf-validator', 'sharp'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    async cook(ctx) {
      const { cookModel } = await import('./cook-model.js');
      await cookModel(ctx, await getCodecs());
    },
  });
}
