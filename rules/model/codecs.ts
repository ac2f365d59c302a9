/**
 * The heavy libraries a model cook needs, loaded once and only when a model is actually cooked:
 * the CLI imports every rule at start-up, so nothing here may run at import time. Tests and the
 * benchmark may pass their own `ModelCodecs` (glTF-Transform's "codecs are passed in" idea).
 */
import type * as Core from '@gltf-transform/core';
import type * as Extensions from '@gltf-transform/extensions';
import type * as Functions from '@gltf-transform/functions';
import type * as Meshopt from 'meshoptimizer';
import type { GltfValidator } from './gltf-validator-types.js';

export interface ModelCodecs {
  core: typeof Core;
  functions: typeof Functions;
  extensions: typeof Extensions;
  simplifier: typeof Meshopt.MeshoptSimplifier;
  encoder: typeof Meshopt.MeshoptEncoder;
  decoder: typeof Meshopt.MeshoptDecoder;
  /** mikktspace's `generateTangents(position, normal, uv)`. */
  generateTangents: (position: Float32Array, normal: Float32Array, uv: Float32Array) => Float32Array;
  validator: GltfValidator;
  /** Draco decoder module, created on first use: most models are not Draco-compressed. */
  dracoDecoder: () => Promise<unknown>;
}

let loading: Promise<ModelCodecs> | undefined;

/** Loads (once per process) every library the model rule uses. */
export function loadModelCodecs(): Promise<ModelCodecs> {
  loading ??= load();
  return loading;
}

async function load(): Promise<ModelCodecs> {
  const [core, functions, extensions, meshopt, mikktspace, validator] = await Promise.all([
    import('@gltf-transform/core'),
    import('@gltf-transform/functions'),
    import('@gltf-transform/extensions'),
    import('meshoptimizer'),
    import('mikktspace'),
    import('gltf-validator'),
  ]);
  await Promise.all([meshopt.MeshoptSimplifier.ready, meshopt.MeshoptEncoder.ready, meshopt.MeshoptDecoder.ready]);
  let draco: Promise<unknown> | undefined;
  return {
    core,
    functions,
    extensions,
    simplifier: meshopt.MeshoptSimplifier,
    encoder: meshopt.MeshoptEncoder,
    decoder: meshopt.MeshoptDecoder,
    generateTangents: mikktspace.generateTangents,
    validator: (validator as { default?: GltfValidator }).default ?? (validator as unknown as GltfValidator),
    dracoDecoder: () => {
      draco ??= import('draco3dgltf').then((m) => (m.default ?? m).createDecoderModule());
      return draco;
    },
  };
}
