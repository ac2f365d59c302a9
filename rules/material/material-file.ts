/**
 * The material source file: which shader (and variant) draws it, which texture fills each slot
 * and the uniform values. Checked with the same typed schema as rule attributes, so a typo
 * in a key gets a "did you mean" and every issue points at its line.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import { s } from '../../src/rule/schema.js';
import type { StructuredSource } from '../../src/rule/structured-source.js';

export const BLEND_MODES = ['opaque', 'mask', 'alpha', 'additive'] as const;
export type BlendMode = (typeof BLEND_MODES)[number];
export type ParamValue = number | boolean | number[];

export interface MaterialFile {
  /** Label of the shader target, e.g. `//common/shaders:lit`. */
  shader: string;
  /** Shader variant (a set of defines the shader rule cooked as its own output). */
  variant?: string;
  /** Texture slot → label of a texture target. */
  textures?: Record<string, string>;
  /** Uniform name → value: a number, a boolean or a vector/matrix as a list of numbers. */
  params?: Record<string, ParamValue>;
  blend?: BlendMode;
  /** Alpha cutoff for `blend: mask`. */
  alpha_cutoff?: number;
  double_sided?: boolean;
}

const paramSchema = s.union<ParamValue>(s.number(), s.boolean(), s.array(s.number(), { min: 1, max: 16 }));

const materialFileSchema = s.object<MaterialFile>(
  {
    shader: s.string(),
    variant: s.string(),
    textures: s.record(s.string()),
    params: s.record(paramSchema),
    blend: s.enum(BLEND_MODES),
    alpha_cutoff: s.number({ min: 0, max: 1 }),
    double_sided: s.boolean(),
  },
  ['shader'],
);

export function checkMaterialFile(source: StructuredSource): MaterialFile {
  const { value, issues } = materialFileSchema.parse(source.value);
  const issue = issues[0];
  if (issue || !value) {
    const path = issue?.path ?? [];
    const what = path.length > 0 ? `${path.join('.')}: ` : '';
    throw new RuleError(`${what}${issue?.message ?? 'empty material file'}`, source.locate(path));
  }
  return value;
}
