/**
 * Compiles one flattened GLSL variant with glslangValidator (Debian glslang-tools): SPIR-V for
 * Vulkan-style targets, or a validate-and-link pass for GLSL source targets. Compiler messages
 * are mapped through the line map back to the file and line the user wrote.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuleError } from '../../src/rule/rule-error.js';
import type { SourceLine } from './flatten-source.js';

export interface GlslangResult {
  /** SPIR-V words as bytes, when compiled for SPIR-V. */
  spirv?: Uint8Array;
  /** glslang's `-q` reflection dump. */
  reflectionDump: string;
  warnings: { message: string; file: string; line: number }[];
}

export interface GlslangJob {
  executable: string;
  /** A private folder shared by the variants of one cook. */
  dir: string;
  /** File base name inside `dir`, unique per variant; never a path, so nothing machine-specific reaches the output. */
  name: string;
  /** File extension glslang derives the stage from: vert, frag, comp, … */
  stage: string;
  lines: readonly SourceLine[];
  /** `vulkan1.0`…`vulkan1.3` → SPIR-V; `opengl` → validation only. */
  targetEnv: string;
  spirv: boolean;
  signal?: AbortSignal;
}

export async function runGlslang(job: GlslangJob): Promise<GlslangResult> {
  const name = `${job.name}.${job.stage}`;
  const output = `${job.name}.spv`;
  await writeFile(join(job.dir, name), job.lines.map((l) => l.text).join('\n') + '\n');
  const args = ['-q', '--reflect-all-block-variables', '--reflect-intermediate-io'];
  if (job.spirv) args.push('--target-env', job.targetEnv, '-o', output);
  else args.push('-l');
  args.push(name);
  const { code, stdout } = await exec(job.executable, args, job.dir, job.signal);
  const messages = parseMessages(stdout, name, job.lines);
  const errors = messages.filter((m) => m.severity === 'ERROR');
  if (code !== 0 || errors.length > 0) {
    const first = errors[0];
    if (!first) throw new RuleError(`glslangValidator failed (exit ${code}): ${stdout.trim().split('\n').slice(-3).join(' ')}`);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1, 4).map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ')})` : '';
    throw new RuleError(`${first.message}${more}`, { file: first.file, line: first.line });
  }
  return {
    spirv: job.spirv ? new Uint8Array(await readFile(join(job.dir, output))) : undefined,
    reflectionDump: stdout,
    warnings: messages.filter((m) => m.severity === 'WARNING'),
  };
}

export interface Message {
  severity: 'ERROR' | 'WARNING';
  message: string;
  file: string;
  line: number;
}

export function parseMessages(output: string, name: string, lines: readonly SourceLine[]): Message[] {
  const messages: Message[] = [];
  const pattern = /^(ERROR|WARNING): (?:([^:\n]+):(\d+): )?(.*)$/gm;
  for (const match of output.matchAll(pattern)) {
    const [, severity, file, lineText, message = ''] = match;
    // Summary lines ("ERROR: 2 compilation errors.") carry no location; the located ones say it all.
    if (!file && /compilation errors|Linking/.test(message)) continue;
    const generated = file === name || file === '0' ? Number(lineText) : 0;
    const origin = lines[generated - 1];
    messages.push({
      severity: severity as Message['severity'],
      message: message.trim().replace(/^'([^']*)' : /, (_, token: string) => (token ? `'${token}': ` : '')),
      file: origin?.file ?? lines[0]?.file ?? name,
      line: origin?.line ?? 0,
    });
  }
  return messages;
}

function exec(executable: string, args: string[], cwd: string, signal?: AbortSignal): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(executable, args, { cwd, signal, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new RuleError(`${executable} not found: install Debian's glslang-tools (apt-get install glslang-tools)`));
        return;
      }
      if (error?.name === 'AbortError') {
        reject(error);
        return;
      }
      resolve({ code, stdout: `${stdout}\n${stderr}` });
    });
  });
}
