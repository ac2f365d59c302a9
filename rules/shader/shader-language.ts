/** Which language and pipeline stage a source file is, from its extension (or the `stage` attribute). */
import { RuleError } from '../../src/rule/rule-error.js';

export type ShaderStage = 'vertex' | 'fragment' | 'compute';

/** glslang's stage extensions for the stages kiln cooks. */
const GLSL_STAGES: Record<string, ShaderStage> = { vert: 'vertex', frag: 'fragment', comp: 'compute' };
const EXTENSION_OF: Record<ShaderStage, string> = { vertex: 'vert', fragment: 'frag', compute: 'comp' };

export interface ShaderKind {
  language: 'glsl' | 'wgsl';
  /** GLSL only; a WGSL module names its stages on its entry points. */
  stage?: ShaderStage;
  /** glslang's file extension for the stage. */
  glslangStage?: string;
}

export function shaderKind(path: string, stage: ShaderStage | undefined): ShaderKind {
  if (path.endsWith('.wgsl')) return { language: 'wgsl' };
  // `lit.frag` or `lit.frag.glsl`
  const parts = path.split('/').at(-1)!.split('.');
  const ext = parts.at(-1) === 'glsl' ? parts.at(-2) : parts.at(-1);
  const fromExtension = ext ? GLSL_STAGES[ext] : undefined;
  const resolved = stage ?? fromExtension;
  if (!resolved) {
    throw new RuleError('cannot tell the shader stage: use a .vert/.frag/.comp (or .wgsl) file, or set `stage`', { file: path });
  }
  return { language: 'glsl', stage: resolved, glslangStage: EXTENSION_OF[resolved] };
}
