/**
 * Compiles one flattened GLSL variant with the wasm glslang and reflects it from the SPIR-V it
 * produced. For `glsl_output: glsl` the SPIR-V compile is the validation (and the reflection
 * source); the flattened text is what ships. Messages are mapped back to the user's files like
 * glslangValidator's, since this build prints the same `ERROR: 0:<line>: …` lines.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import type { SourceLine } from './flatten-source.js';
import { compileGlslWasm, spirvVersionFor, type WasmStage } from './glslang-wasm.js';
import type { ShaderReflection } from './reflection.js';
import { parseMessages } from './run-glslang.js';
import { reflectSpirv } from './spirv-reflection.js';

export interface WasmGlslJob {
  stage: WasmStage;
  lines: readonly SourceLine[];
  targetEnv: string;
}

export interface WasmGlslResult {
  spirv: Uint8Array;
  reflection: ShaderReflection;
  warnings: { message: string; file: string; line: number }[];
}

export async function runGlslangWasm(job: WasmGlslJob): Promise<WasmGlslResult> {
  if (job.targetEnv === 'vulkan1.3') {
    throw new RuleError('target_env vulkan1.3 needs SPIR-V 1.6, beyond the wasm glslang (SPIR-V 1.5 at most): use vulkan1.2, or `compiler: native` on this platform');
  }
  const source = job.lines.map((l) => l.text).join('\n') + '\n';
  const { spirv, log } = await compileGlslWasm(source, job.stage, spirvVersionFor(job.targetEnv));
  const messages = parseMessages(log, '0', job.lines);
  const errors = messages.filter((m) => m.severity === 'ERROR');
  if (!spirv || errors.length > 0) {
    const first = errors[0];
    if (!first) throw new RuleError(`glslang (wasm) failed: ${log.trim().split('\n').slice(-3).join(' ') || 'no message'}`);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1, 4).map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ')})` : '';
    throw new RuleError(`${first.message}${more}`, { file: first.file, line: first.line });
  }
  const bytes = new Uint8Array(spirv.buffer.slice(spirv.byteOffset, spirv.byteOffset + spirv.byteLength));
  return { spirv: bytes, reflection: reflectSpirv(spirv), warnings: messages.filter((m) => m.severity === 'WARNING') };
}
