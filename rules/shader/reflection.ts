/**
 * What a shader declares, recorded in every output's `meta.reflection` so the material rule can
 * check a material's parameters and textures against it. Types are spelled in the shader's own
 * language (`vec4`, `mat4`, `sampler2D` for GLSL; `vec4<f32>`, `texture_2d<f32>` for WGSL).
 */
export interface ShaderReflection {
  language: 'glsl' | 'wgsl';
  /** Entry points and their stage (`vertex`, `fragment`, `compute`). GLSL has one: `main`. */
  entryPoints: { name: string; stage: string }[];
  /**
   * Plain-data parameters: members of uniform blocks (and push constants), and loose uniforms.
   * `name` is the member's own name, `block` the block it sits in (GLSL: block type name;
   * WGSL: the `var<uniform>` name); loose GLSL uniforms have no block.
   */
  uniforms: { name: string; type: string; block?: string; offset?: number }[];
  /** Sampled textures and storage images with their binding (and WGSL `@group`). */
  textures: { name: string; binding: number; group?: number; type: string }[];
  /** Separate sampler objects (Vulkan GLSL `sampler`, WGSL `sampler`/`sampler_comparison`). */
  samplers: { name: string; binding: number; group?: number }[];
  /** Uniform/storage blocks and push constants with their binding (-1 when none) and byte size when known. */
  blocks: { name: string; kind: 'uniform' | 'storage' | 'push_constant'; binding: number; group?: number; size?: number }[];
  /** Stage inputs that are used (vertex attributes, varyings). */
  inputs: { name: string; type: string; location?: number }[];
}
