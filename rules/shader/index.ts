/**
 * shader — GLSL (.vert/.frag/.comp) and WGSL sources with `#include` / `#import` resolved by the
 * rule (discovered inputs), compiled per variant: GLSL through the wasm glslang (or the system's
 * glslangValidator with `compiler: native`) to SPIR-V (or validated GLSL source), reflected from the
 * SPIR-V; WGSL parsed and reflected with wgsl_reflect. Reflection goes into every
 * output's meta for the material rule.
 */
import { defineRule } from '../../src/rule/rule.js';
import type { Rule } from '../../src/rule/rule.js';
import { s } from '../../src/rule/schema.js';
import { cookShader, type ShaderTools } from './cook-shader.js';
import { shaderTools } from './shader-tools.js';
import type { ShaderStage } from './shader-language.js';

export const NAME = 'shader';
/** Name of the runtime's hot-reload hook for shaders (recreate pipelines that use the module). */
export const RELOAD_HANDLER = 'shader';
export type { ShaderTools } from './cook-shader.js';
export type { ShaderReflection } from './reflection.js';
export type { ShaderStage } from './shader-language.js';

export type DefineValue = string | number | boolean;

export interface ShaderOptions {
  /** Variant name → its defines; one output per variant (`<name>.<variant>.<ext>`). None: one output `<name>.<ext>`. */
  variants?: Record<string, Record<string, DefineValue>>;
  /** Defines every variant gets (a variant's own win). `false` leaves a name undefined. */
  defines?: Record<string, DefineValue>;
  /** Folders (relative to the package) searched for includes/imports after the including file's folder. */
  include_dirs?: string[];
  /** GLSL stage when the file extension does not say it. */
  stage?: ShaderStage;
}

export const DEFAULTS: Partial<ShaderOptions> = {};

/** `rules.shader` / `platforms.<name>.shader` in the root assets.yaml. */
export interface ShaderPlatformSettings {
  /** What GLSL sources become: SPIR-V binaries (Vulkan) or validated, flattened GLSL text (OpenGL). WGSL always stays WGSL. */
  glsl_output?: 'spirv' | 'glsl';
  /**
   * GLSL compiler: `wasm` (default: @webgpu/glslang, runs anywhere after `npm install`) or `native`
   * (glslangValidator from the system, e.g. Debian glslang-tools). Same SPIR-V apart from the generator word.
   */
  compiler?: 'wasm' | 'native';
  /** SPIR-V target environment for glslang. */
  target_env?: 'vulkan1.0' | 'vulkan1.1' | 'vulkan1.2' | 'vulkan1.3';
  /** Defines every shader on this platform gets (e.g. `MOBILE: 1`). */
  defines?: Record<string, DefineValue>;
  /** Validator: most variants one shader may declare. */
  max_variants?: number;
  /** Validator: largest allowed output per variant, in KiB. */
  max_size_kb?: number;
}

const defineValue = s.union<DefineValue>(s.string(), s.number(), s.boolean());

export function shaderRule(tools: Partial<ShaderTools> = {}): Rule<ShaderOptions, ShaderPlatformSettings> {
  return defineRule<ShaderOptions, ShaderPlatformSettings>({
    name: NAME,
    version: 1,
    type: 'shader',
    description: 'GLSL → SPIR-V (wasm glslang, or glslangValidator) and WGSL (wgsl_reflect), includes resolved, one output per variant, with reflection',
    attributes: s.object<ShaderOptions>({
      variants: s.record(s.record(defineValue)).describe('variant name → defines; one output per variant'),
      defines: s.record(defineValue).describe('defines shared by all variants'),
      include_dirs: s.array(s.string()).describe('extra include folders, package-relative'),
      stage: s.enum(['vertex', 'fragment', 'compute'] as const).describe('GLSL stage if the extension does not say'),
    }),
    defaults: DEFAULTS,
    platformSettings: s.object<ShaderPlatformSettings>({
      glsl_output: s.enum(['spirv', 'glsl'] as const),
      compiler: s.enum(['wasm', 'native'] as const),
      target_env: s.enum(['vulkan1.0', 'vulkan1.1', 'vulkan1.2', 'vulkan1.3'] as const),
      defines: s.record(defineValue),
      max_variants: s.integer({ min: 1 }),
      max_size_kb: s.number({ min: 0 }),
    }),
    tools: (_attrs, settings, sources) => shaderTools(settings, sources, tools),
    cook: (ctx) => cookShader(ctx, tools, 'cook'),
    validate: (ctx) => cookShader(ctx, tools, 'validate'),
  });
}
