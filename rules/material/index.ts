/**
 * `material`: a YAML/JSON material definition that names a shader (and variant) and textures by
 * label. Cooks to canonical JSON with asset ids, after checking every reference is a declared
 * dependency and every param and texture slot against the shader's reflection.
 */
import { canonicalJson } from '../../src/hash/canonical-json.js';
import type { RuleContext } from '../../src/rule/context.js';
import { defineRule } from '../../src/rule/rule.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { parseStructured } from '../../src/rule/structured-source.js';
import { checkMaterialFile } from './material-file.js';
import { MATERIAL_OPTIONS, MATERIAL_SETTINGS, type MaterialOptions, type MaterialPlatformSettings } from './options.js';
import { type CookedMaterial, resolveMaterial } from './resolve-material.js';

export const NAME = 'material';
export { MATERIAL_OPTIONS, MATERIAL_SETTINGS, type MaterialOptions, type MaterialPlatformSettings } from './options.js';

async function load(ctx: RuleContext<MaterialOptions, MaterialPlatformSettings>): Promise<CookedMaterial> {
  const src = ctx.srcs[0];
  if (!src || ctx.srcs.length > 1) throw new RuleError(`a material target takes exactly one source file, got ${ctx.srcs.length}`);
  const source = parseStructured(await ctx.readSource(src), src.path);
  const file = checkMaterialFile(source);
  const material = resolveMaterial(ctx, file, source, {
    unknownParams: ctx.attrs.unknown_params,
    requireReflection: ctx.attrs.require_reflection,
    maxTextures: ctx.platform.settings.max_textures,
  });
  ctx.stat('textures', Object.keys(material.textures).length);
  ctx.stat('params', Object.keys(material.params).length);
  return material;
}

export function materialRule() {
  return defineRule<MaterialOptions, MaterialPlatformSettings>({
    name: NAME,
    version: 1,
    type: 'material',
    description: 'YAML/JSON material → canonical JSON with shader/texture asset ids, checked against shader reflection',
    attributes: MATERIAL_OPTIONS,
    platformSettings: MATERIAL_SETTINGS,
    async cook(ctx) {
      const material = await load(ctx);
      if (ctx.mode === 'validate') return;
      const bytes = new TextEncoder().encode(`${canonicalJson(material)}\n`);
      await ctx.output(`${ctx.name}.json`, bytes, {
        format: 'json',
        shader: material.shader.asset_id,
        variant: material.shader.variant,
        textures: Object.values(material.textures).map((t) => t.asset_id),
      });
    },
  });
}
