/** Stand-ins for dependencies the engine would hand a rule: a shader with reflection, textures. */
import { digestOf } from '../../../src/hash/digest.js';
import type { DepInfo } from '../../../src/rule/context.js';
import type { OutputMeta } from '../../../src/rule/output.js';
import { assetIdOf } from '../../../src/workspace/label.js';

export function dep(label: string, type: DepInfo['type'], outputs: { name: string; meta?: OutputMeta }[] = []): DepInfo {
  return {
    label,
    rule: type,
    type,
    assetId: assetIdOf(label),
    priority: 'normal',
    outputs: outputs.map((o) => ({ name: o.name, digest: digestOf(new TextEncoder().encode(o.name)), meta: o.meta ?? {} })),
    srcs: [],
    deps: [],
  };
}

export const LIT_REFLECTION = {
  uniforms: [
    { name: 'roughness', type: 'float' },
    { name: 'metallic', type: 'f32' },
    { name: 'tint', type: 'vec4' },
    { name: 'uv_scale', type: 'vec2<f32>' },
    { name: 'layers', type: 'int' },
  ],
  textures: [
    { name: 'albedo', binding: 0 },
    { name: 'normal', binding: 1 },
  ],
};

export function litShader(label = '//common/shaders:lit'): DepInfo {
  return dep(label, 'shader', [
    { name: 'lit.spv', meta: { variant: 'default', reflection: LIT_REFLECTION } },
    {
      name: 'lit.skinned.spv',
      meta: { variant: 'skinned', reflection: { ...LIT_REFLECTION, uniforms: [...LIT_REFLECTION.uniforms, { name: 'bones', type: 'mat4' }] } },
    },
  ]);
}
