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

import type { DefineValue, ShaderOptions, ShaderPlatformSettings } from './options.js';
export type { DefineValue, ShaderOptions, ShaderPlatformSettings } from './options.js';

export const NAME = 'shader';
export type { ShaderTools } from './cook-shader.js';
export type { ShaderReflection } from './reflection.js';
export type { ShaderStage } from './shader-language.js';



export const DEFAULTS: Partial<ShaderOptions> = {};


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
