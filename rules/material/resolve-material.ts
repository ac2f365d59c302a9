/**
 * From a checked material file to the cooked material: labels become asset ids (the runtime
 * never sees labels' package layout), and everything is checked against the shader.
 */
import type { RuleContext } from '../../src/rule/context.js';
import { resolveReference } from '../../src/rule/reference.js';
import { RuleError } from '../../src/rule/rule-error.js';
import type { StructuredSource } from '../../src/rule/structured-source.js';
import { checkParams, checkTextureSlots } from './check-params.js';
import type { MaterialFile, ParamValue } from './material-file.js';
import { readReflection, selectShaderOutput } from './shader-reflection.js';

export interface CookedMaterial {
  shader: { label: string; asset_id: string; variant: string | null };
  textures: Record<string, { label: string; asset_id: string; binding: number | null }>;
  params: Record<string, ParamValue>;
  blend: string;
  alpha_cutoff: number | null;
  double_sided: boolean;
}

export interface ResolveOptions {
  unknownParams: 'error' | 'warning';
  requireReflection: boolean;
  maxTextures: number;
}

/** Texture-like dependencies: a texture target, or a UI atlas/font whose main output is an image. */
const TEXTURE_TYPES = ['texture', 'ui', 'font'] as const;

export function resolveMaterial(ctx: RuleContext, file: MaterialFile, source: StructuredSource, options: ResolveOptions): CookedMaterial {
  const shaderDep = resolveReference(ctx, file.shader, source.locate(['shader']), ['shader']);
  const shaderOutput = selectShaderOutput(shaderDep, file.variant, source.locate(['variant']));
  const reflection = readReflection(shaderOutput);
  const hooks = {
    locate: source.locate,
    warn: (message: string, where: object) => ctx.warn(message, where),
    unknownParams: options.unknownParams,
  };
  const slots = Object.keys(file.textures ?? {}).sort();
  if (slots.length > options.maxTextures) {
    throw new RuleError(`binds ${slots.length} textures; platform ${ctx.platform.name} allows ${options.maxTextures}`, source.locate(['textures']));
  }
  if (reflection) {
    checkParams(file.params ?? {}, reflection, shaderDep.label, hooks);
    checkTextureSlots(slots, reflection, shaderDep.label, hooks);
  } else if (options.requireReflection) {
    throw new RuleError(`shader ${shaderDep.label} publishes no reflection (meta.reflection); cannot check params`, source.locate(['shader']));
  } else {
    ctx.warn(`shader ${shaderDep.label} publishes no reflection; params and texture slots are not checked`, source.locate(['shader']));
  }

  const textures: CookedMaterial['textures'] = {};
  for (const slot of slots) {
    const text = file.textures![slot]!;
    const dep = resolveReference(ctx, text, source.locate(['textures', slot]), TEXTURE_TYPES);
    const binding = reflection?.textures.find((t) => t.name === slot)?.binding;
    textures[slot] = { label: dep.label, asset_id: dep.assetId, binding: binding ?? null };
  }
  return {
    shader: { label: shaderDep.label, asset_id: shaderDep.assetId, variant: file.variant ?? null },
    textures,
    params: file.params ?? {},
    blend: file.blend ?? 'opaque',
    alpha_cutoff: file.blend === 'mask' ? (file.alpha_cutoff ?? 0.5) : null,
    double_sided: file.double_sided ?? false,
  };
}
