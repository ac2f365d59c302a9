/**
 * What a material can know about its shader: the reflection the shader rule attaches to each
 * output's meta (`{ uniforms: [{name, type}], textures: [{name, binding}] }`), for the chosen
 * variant. Type names come from GLSL (`vec4`, `mat3`) or WGSL (`vec4<f32>`, `vec4f`).
 */
import type { DepInfo, Location } from '../../src/rule/context.js';
import type { OutputRecord } from '../../src/rule/output.js';
import { RuleError } from '../../src/rule/rule-error.js';

export interface ShaderReflection {
  uniforms: { name: string; type: string }[];
  textures: { name: string; binding?: number }[];
}

/** The output of `shader` that matches `variant` (by `meta.variant`, else by name), or its main output. */
export function selectShaderOutput(shader: DepInfo, variant: string | undefined, where: Location): OutputRecord | undefined {
  if (variant === undefined) return shader.outputs[0];
  const byMeta = shader.outputs.find((o) => variantOf(o) === variant);
  const byName = shader.outputs.find((o) => o.name.split('.').slice(1, -1).includes(variant));
  const found = byMeta ?? byName;
  if (!found) {
    const known = shader.outputs.map(variantOf).filter((v): v is string => typeof v === 'string');
    throw new RuleError(
      `shader ${shader.label} has no variant "${variant}"${known.length > 0 ? ` (it has: ${known.join(', ')})` : ''}`,
      where,
    );
  }
  return found;
}

function variantOf(output: OutputRecord): string | null | undefined {
  return 'variant' in output.meta ? output.meta.variant : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Read `meta.reflection` defensively: the shader rule is separate code, so a bad shape means "unknown". */
export function readReflection(output: OutputRecord | undefined): ShaderReflection | undefined {
  const reflection: unknown = output && 'reflection' in output.meta ? output.meta.reflection : undefined;
  if (!isRecord(reflection)) return undefined;
  const uniforms: unknown = reflection['uniforms'];
  const textures: unknown = reflection['textures'];
  if (!Array.isArray(uniforms) || !Array.isArray(textures)) return undefined;
  const out: ShaderReflection = { uniforms: [], textures: [] };
  for (const u of uniforms as unknown[]) {
    if (isRecord(u) && typeof u['name'] === 'string') {
      out.uniforms.push({ name: u['name'], type: typeof u['type'] === 'string' ? u['type'] : 'unknown' });
    }
  }
  for (const t of textures as unknown[]) {
    if (isRecord(t) && typeof t['name'] === 'string') {
      out.textures.push(typeof t['binding'] === 'number' ? { name: t['name'], binding: t['binding'] } : { name: t['name'] });
    }
  }
  return out;
}

export interface UniformShape {
  components: number;
  kind: 'float' | 'int' | 'bool';
}

const SCALAR: Record<string, UniformShape['kind']> = {
  float: 'float', half: 'float', double: 'float', f32: 'float', f16: 'float',
  int: 'int', uint: 'int', i32: 'int', u32: 'int',
  bool: 'bool',
};

/** Component count and kind of a uniform type, or undefined for structs/arrays we do not check. */
export function uniformShape(type: string): UniformShape | undefined {
  const t = type.replace(/\s+/g, '');
  const scalar = SCALAR[t];
  if (scalar) return { components: 1, kind: scalar };
  const vec = /^([biud]?)vec([234])(?:([fhiu])|<(\w+)>)?$/.exec(t);
  if (vec) {
    const prefix = vec[1] || vec[3] || vec[4] || '';
    const kind: UniformShape['kind'] = prefix === 'b' || prefix === 'bool' ? 'bool' : /^(i|u|i32|u32)$/.test(prefix) ? 'int' : 'float';
    return { components: Number(vec[2]), kind };
  }
  const mat = /^d?mat([234])(?:x([234]))?(?:[fh]|<\w+>)?$/.exec(t);
  if (mat) return { components: Number(mat[1]) * Number(mat[2] ?? mat[1]), kind: 'float' };
  return undefined;
}
