/** The `shader` rule's options and platform settings: a leaf, so cook files and index.ts both import it. */
import type { ShaderStage } from './shader-language.js';

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
