/**
 * shader — GLSL (.vert/.frag/.comp) and WGSL sources with `#include` / `#import` resolved by the
 * rule (discovered inputs), compiled per variant: GLSL through the wasm glslang (or the system's
 * glslangValidator with `compiler: native`) to SPIR-V (or validated GLSL source), reflected from the
 * SPIR-V; WGSL parsed and reflected with wgsl_reflect. Reflection goes into every
 * output's meta for the material rule.
 */
import { defineRule } from '../../src/rule/rule.js';
import type { Rule } from '../../src/rule/rule.js';
import { cookShader, type ShaderTools } from './cook-shader.js';
import { SHADER_OPTIONS, SHADER_SETTINGS, type ShaderOptions, type ShaderPlatformSettings } from './options.js';
import { shaderTools } from './shader-tools.js';

export { SHADER_OPTIONS, SHADER_SETTINGS, type DefineValue, type ShaderOptions, type ShaderPlatformSettings } from './options.js';

export const NAME = 'shader';
export type { ShaderTools } from './cook-shader.js';
export type { ShaderReflection } from './reflection.js';
export type { ShaderStage } from './shader-language.js';

export function shaderRule(tools: Partial<ShaderTools> = {}): Rule<ShaderOptions, ShaderPlatformSettings> {
  return defineRule<ShaderOptions, ShaderPlatformSettings>({
    name: NAME,
    version: 1,
    type: 'shader',
    description: 'GLSL → SPIR-V (wasm glslang, or glslangValidator) and WGSL (wgsl_reflect), includes resolved, one output per variant, with reflection',
    attributes: SHADER_OPTIONS,
    platformSettings: SHADER_SETTINGS,
    tools: (_attrs, settings, sources) => shaderTools(settings, sources, tools),
    cook: (ctx) => cookShader(ctx, tools),
  });
}
