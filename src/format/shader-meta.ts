/** What each shader variant output carries, reflection included (the material rule checks against it). */
import { meta, readSpec, type MetaOf } from './meta-spec.js';

const binding = { name: meta.string, binding: meta.number, group: meta.optional(meta.int) };

/** What a shader declares, in the shader's own type names (`vec4`, `texture_2d<f32>`). */
export const SHADER_REFLECTION = {
  language: meta.literal('glsl', 'wgsl'),
  entryPoints: meta.list(meta.object({ name: meta.string, stage: meta.string })),
  uniforms: meta.list(meta.object({ name: meta.string, type: meta.string, block: meta.optional(meta.string), offset: meta.optional(meta.int) })),
  textures: meta.list(meta.object({ ...binding, type: meta.string })),
  samplers: meta.list(meta.object(binding)),
  /** `binding` is -1 for a block without one (push constants). */
  blocks: meta.list(meta.object({ ...binding, kind: meta.literal('uniform', 'storage', 'push_constant'), size: meta.optional(meta.int) })),
  inputs: meta.list(meta.object({ name: meta.string, type: meta.string, location: meta.optional(meta.int) })),
};
export type ShaderReflectionMeta = MetaOf<typeof SHADER_REFLECTION>;

export const SHADER_META = {
  language: meta.literal('glsl', 'wgsl'),
  format: meta.literal('spirv', 'glsl', 'wgsl'),
  stage: meta.optional(meta.string),
  targetEnv: meta.optional(meta.string),
  /** Variant name (`default` when the target declares none). */
  variant: meta.string,
  defines: meta.record(meta.string),
  includes: meta.list(meta.string),
  reflection: meta.object(SHADER_REFLECTION),
  /** Text outputs: runs `[firstOutputLine, fileIndex, firstSourceLine, count]` back to the edited files. */
  lineMap: meta.optional(meta.object({ files: meta.list(meta.string), runs: meta.list(meta.list(meta.int)) })),
};
export type ShaderMeta = MetaOf<typeof SHADER_META>;

export function readShaderMeta(value: unknown, where: string): ShaderMeta {
  return readSpec(SHADER_META, value, where);
}
