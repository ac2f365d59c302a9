/** The `model` rule's options and platform settings: a leaf, so cook files and index.ts both import it. */

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
