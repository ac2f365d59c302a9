/**
 * The shader rule's cook: flatten includes/imports (discovered inputs) → for each variant, add its
 * defines → compile (GLSL: wasm glslang, or glslangValidator with `compiler: native`) or parse (WGSL: wgsl_reflect) → output SPIR-V or
 * source text with reflection in the meta.
 */
import { posix } from 'node:path';
import type { RuleContext } from '../../src/rule/context.js';
import type { ShaderReflectionMeta } from '../../src/format/shader-meta.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { checkWgsl, loadWgslReflect, type WgslReflector } from './check-wgsl.js';
import { flattenSource, type SourceLine } from './flatten-source.js';
import { parseGlslReflection } from './glsl-reflection.js';
import { injectDefines, type Defines } from './inject-defines.js';
import type { DefineValue, ShaderOptions, ShaderPlatformSettings } from './options.js';
import { buildLineMap } from './line-map.js';
import { preprocessWgsl } from './preprocess-wgsl.js';
import type { ShaderReflection } from './reflection.js';
import { runGlslang } from './run-glslang.js';
import { runGlslangWasm } from './run-glslang-wasm.js';
import { nativeGlslang } from './shader-tools.js';
import { shaderKind } from './shader-language.js';

const CONCURRENCY = 2;

interface Compiled {
  defines: Defines;
  lines: SourceLine[];
  reflection: ShaderReflection;
  bytes: Uint8Array;
  warnings: { message: string; file: string; line: number }[];
}

/** Runs tasks with at most `limit` in flight; every task settles, so the first failure in order can be reported. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await tasks[index]!() };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

function encodeText(lines: readonly SourceLine[]): Uint8Array {
  return new TextEncoder().encode(lines.map((l) => l.text).join('\n') + '\n');
}

/** Injectable tools: the glslangValidator executable (`compiler: native`) and the WGSL parser (lazy by default). */
export interface ShaderTools {
  glslangValidator: string;
  wgsl(): Promise<WgslReflector>;
}

export async function cookShader(
  ctx: RuleContext<ShaderOptions, ShaderPlatformSettings>,
  tools: Partial<ShaderTools>,
): Promise<void> {
  if (ctx.srcs.length !== 1) throw new RuleError(`shader takes exactly one source file, got ${ctx.srcs.length}`);
  const src = ctx.srcs[0]!;
  const kind = shaderKind(src.path, ctx.attrs.stage);
  const settings = ctx.platform.settings;
  const text = new TextDecoder().decode(await ctx.readSource(src));
  const packageDir = packageFolder(src.path, ctx.pkg);
  const flat = await flattenSource(src.path, text, {
    directive: kind.language === 'glsl' ? 'include' : 'import',
    searchDirs: ctx.attrs.include_dirs.map((dir) => posix.join(packageDir, dir)),
    readFile: (path) => ctx.readFile(path),
  });

  const variants = Object.entries(ctx.attrs.variants);
  const named = variants.length > 0;
  if (!named) variants.push(['default', {}]);
  if (settings.max_variants !== undefined && variants.length > settings.max_variants) {
    throw new RuleError(`${variants.length} variants declared; platform ${ctx.platform.name} allows at most ${settings.max_variants}`, { file: src.path });
  }
  const format = kind.language === 'wgsl' ? 'wgsl' : settings.glsl_output;
  const targetEnv = settings.target_env;
  const reflector = kind.language === 'wgsl' ? await (tools.wgsl ?? loadWgslReflect)() : undefined;
  const dir = kind.language === 'glsl' ? await ctx.tempDir() : '';
  const base = ctx.name;
  let totalBytes = 0;
  let reflection: ShaderReflection | undefined;

  const compileVariant = async (index: number, own: Record<string, DefineValue>): Promise<Compiled> => {
    const defines = toStrings({ ...settings.defines, ...ctx.attrs.defines, ...own });
    if (kind.language === 'wgsl') {
      const lines = preprocessWgsl(flat.lines, defines);
      return { defines, lines, reflection: checkWgsl(reflector!, lines), bytes: encodeText(lines), warnings: [] };
    }
    const lines = injectDefines(flat.lines, defines);
    if (settings.compiler !== 'native') {
      const compiled = await runGlslangWasm({ stage: kind.stage!, lines, targetEnv });
      return { defines, lines, reflection: compiled.reflection, bytes: format === 'spirv' ? compiled.spirv : encodeText(lines), warnings: compiled.warnings };
    }
    const result = await runGlslang({
      executable: nativeGlslang(tools.glslangValidator),
      dir,
      name: `v${index}`,
      stage: kind.glslangStage!,
      lines,
      targetEnv,
      spirv: format === 'spirv',
      signal: ctx.signal,
    });
    const reflected = parseGlslReflection(result.reflectionDump, lines.map((l) => l.text).join('\n'), kind.stage!);
    return { defines, lines, reflection: reflected, bytes: result.spirv ?? encodeText(lines), warnings: result.warnings };
  };

  // glslangValidator spends most of its ~70 ms building symbol tables, so two variants compile
  // at once; results are then used in declaration order so outputs and errors stay deterministic.
  const settled = await pool(variants.map(([, own], index) => () => compileVariant(index, own)), CONCURRENCY);
  for (const [index, [variant]] of variants.entries()) {
    const outcome = settled[index]!;
    if (outcome.status === 'rejected') {
      const error = outcome.reason as unknown;
      // Say which variant broke: the same line may compile under one set of defines and not another.
      if (named && error instanceof RuleError) throw new RuleError(`variant "${variant}": ${error.message}`, error);
      throw error;
    }
    const { defines, lines, bytes, warnings } = outcome.value;
    reflection = outcome.value.reflection;
    for (const w of warnings) ctx.warn(named ? `variant "${variant}": ${w.message}` : w.message, { file: w.file, line: w.line });
    totalBytes += bytes.length;
    if (settings.max_size_kb !== undefined && bytes.length > settings.max_size_kb * 1024) {
      throw new RuleError(`variant ${variant} is ${(bytes.length / 1024).toFixed(1)} KiB; platform ${ctx.platform.name} allows at most ${settings.max_size_kb} KiB`, { file: src.path });
    }
    if (ctx.mode === 'validate') continue;
    const ext = format === 'spirv' ? 'spv' : format === 'glsl' ? `${kind.glslangStage}.glsl` : 'wgsl';
    await ctx.output(named ? `${base}.${variant}.${ext}` : `${base}.${ext}`, bytes, {
      language: kind.language,
      format,
      ...(kind.stage ? { stage: kind.stage } : {}),
      ...(format === 'spirv' ? { targetEnv } : {}),
      variant,
      defines: { ...defines },
      includes: flat.included,
      reflection: toMeta(reflection),
      ...(format === 'spirv' ? {} : { lineMap: buildLineMap(lines) }),
    });
  }
  ctx.stat('language', kind.language);
  ctx.stat('format', format);
  ctx.stat('variants', variants.length);
  ctx.stat('includes', flat.included.length);
  ctx.stat('source_lines', flat.lines.length);
  ctx.stat('output_bytes', totalBytes);
  if (reflection) {
    ctx.stat('uniforms', reflection.uniforms.length);
    ctx.stat('textures', reflection.textures.length);
  }
}

/**
 * The package's folder, workspace-relative. Labels omit the workspace's packages root
 * (`//common/shaders` lives in `sample-project/common/shaders`), so it is found in the source path.
 */
function packageFolder(srcPath: string, pkg: string): string {
  if (!pkg) return posix.dirname(srcPath);
  if (srcPath.startsWith(`${pkg}/`)) return pkg;
  const at = srcPath.indexOf(`/${pkg}/`);
  return at >= 0 ? srcPath.slice(0, at + 1 + pkg.length) : posix.dirname(srcPath);
}

function toStrings(defines: Record<string, DefineValue | undefined>): Defines {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(defines)) {
    if (value === undefined || value === false) continue;
    out[name] = value === true ? '1' : String(value);
  }
  return out;
}

/** Drops undefined optionals so the reflection is plain JSON, as output meta must be. */
function toMeta(reflection: ShaderReflection): ShaderReflectionMeta {
  const typed: ShaderReflectionMeta = reflection;
  return JSON.parse(JSON.stringify(typed)) as ShaderReflectionMeta;
}
