/**
 * The `shader` rule's options and platform settings, each declared once (schema, default,
 * description; types inferred). A leaf: cook files and index.ts import it.
 */
import { type Infer, type Schema, s } from '../../src/rule/schema.js';

export type DefineValue = string | number | boolean;

// `false` leaves a name undefined.
const defineValue: Schema<DefineValue> = s.union<DefineValue>(s.string(), s.number(), s.boolean());

export const SHADER_OPTIONS = s.object({
  // None: one output `<name>.<ext>`; else one per variant, `<name>.<variant>.<ext>`.
  variants: s.record(s.record(defineValue)).default({}).describe('variant name → defines; one output per variant'),
  // A variant's own defines win.
  defines: s.record(defineValue).default({}).describe('defines shared by all variants'),
  // Searched after the including file's folder.
  include_dirs: s.array(s.string()).default([]).describe('extra include folders, package-relative'),
  stage: s.enum(['vertex', 'fragment', 'compute'] as const).describe('GLSL stage if the extension does not say'),
});
export type ShaderOptions = Infer<typeof SHADER_OPTIONS>;

/** `rules.shader` / `platforms.<name>.shader` in the root assets.yaml. */
export const SHADER_SETTINGS = s.object({
  // WGSL always stays WGSL.
  glsl_output: s.enum(['spirv', 'glsl'] as const).default('spirv').describe('GLSL becomes SPIR-V (Vulkan) or validated, flattened GLSL (OpenGL)'),
  // wasm: @webgpu/glslang, runs anywhere after `npm install`; native: the system's glslangValidator.
  compiler: s.enum(['wasm', 'native'] as const).default('wasm').describe('GLSL compiler: wasm (default) | native'),
  target_env: s.enum(['vulkan1.0', 'vulkan1.1', 'vulkan1.2', 'vulkan1.3'] as const).default('vulkan1.0').describe('SPIR-V target environment'),
  defines: s.record(defineValue).default({}).describe('defines every shader on this platform gets'),
  max_variants: s.integer({ min: 1 }).describe('validator: most variants one shader may declare'),
  max_size_kb: s.number({ min: 0 }).describe('validator: largest output per variant in KiB'),
});
export type ShaderPlatformSettings = Infer<typeof SHADER_SETTINGS>;
