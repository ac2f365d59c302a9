/** The `material` cook, start to end; in validate mode it returns after its checks, before writing outputs. */
import { canonicalJson } from '../../src/hash/canonical-json.js';
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { parseStructured } from '../../src/rule/structured-source.js';
import { checkMaterialFile } from './material-file.js';
import { type CookedMaterial, resolveMaterial } from './resolve-material.js';
import type { MaterialOptions, MaterialPlatformSettings } from './options.js';

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

export async function cookMaterial(ctx: RuleContext<MaterialOptions, MaterialPlatformSettings>): Promise<void> {
  const material = await load(ctx);
  if (ctx.mode === 'validate') return;
  const bytes = new TextEncoder().encode(`${canonicalJson(material)}\n`);
  await ctx.output(`${ctx.name}.json`, bytes, {
    format: 'json',
    shader: material.shader.asset_id,
    variant: material.shader.variant,
    textures: Object.values(material.textures).map((t) => t.asset_id),
  });
}
