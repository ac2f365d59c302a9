/**
 * `material`: a YAML/JSON material definition that names a shader (and variant) and textures by
 * label. Cooks to canonical JSON with asset ids, after checking every reference is a declared
 * dependency and every param and texture slot against the shader's reflection.
 */
import { canonicalJson } from '../../src/hash/canonical-json.js';
import type { RuleContext } from '../../src/rule/context.js';
import { defineRule } from '../../src/rule/rule.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { s } from '../../src/rule/schema.js';
import { parseStructured } from '../../src/rule/structured-source.js';
import { checkMaterialFile } from './material-file.js';
import { type CookedMaterial, resolveMaterial } from './resolve-material.js';

export const NAME = 'material';

export interface MaterialOptions {
  /** What a param the shader does not declare is: `error` (default; usually a typo) or `warning`. */
  unknown_params?: 'error' | 'warning';
  /** Fail when the shader publishes no reflection instead of warning and skipping the checks. */
  require_reflection?: boolean;
}

export interface MaterialPlatformSettings {
  /** Most texture slots one material may bind on this platform (sampler budget). */
  max_textures?: number;
}

export const DEFAULTS: Required<MaterialOptions> = {
  unknown_params: 'error',
  require_reflection: false,
};

const DEFAULT_MAX_TEXTURES = 16;

async function load(ctx: RuleContext<MaterialOptions, MaterialPlatformSettings>): Promise<CookedMaterial> {
  const src = ctx.srcs[0];
  if (!src || ctx.srcs.length > 1) throw new RuleError(`a material target takes exactly one source file, got ${ctx.srcs.length}`);
  const source = parseStructured(await ctx.readSource(src), src.path);
  const file = checkMaterialFile(source);
  const material = resolveMaterial(ctx, file, source, {
    unknownParams: ctx.attrs.unknown_params ?? DEFAULTS.unknown_params,
    requireReflection: ctx.attrs.require_reflection ?? DEFAULTS.require_reflection,
    maxTextures: ctx.platform.settings.max_textures ?? DEFAULT_MAX_TEXTURES,
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
    attributes: s.object<MaterialOptions>({
      unknown_params: s.enum(['error', 'warning'] as const).describe('severity of a param the shader does not declare'),
      require_reflection: s.boolean().describe('fail when the shader has no reflection'),
    }),
    defaults: DEFAULTS,
    platformSettings: s.object<MaterialPlatformSettings>({
      max_textures: s.integer({ min: 1 }).describe('most texture slots per material'),
    }),
    async cook(ctx) {
      const material = await load(ctx);
      const bytes = new TextEncoder().encode(`${canonicalJson(material)}\n`);
      await ctx.output(`${ctx.name}.json`, bytes, {
        format: 'json',
        shader: material.shader.asset_id,
        variant: material.shader.variant,
        textures: Object.values(material.textures).map((t) => t.asset_id),
      });
    },
    async validate(ctx) {
      await load(ctx);
    },
  });
}
