/** The `script` cook, start to end; in validate mode it returns after its checks, before writing outputs. */
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { type BundleResult, bundleScript } from './bundle-script.js';
import type { ScriptOptions, ScriptPlatformSettings } from './options.js';

async function bundle(ctx: RuleContext<ScriptOptions, ScriptPlatformSettings>): Promise<BundleResult> {
  const entry = ctx.srcs[0];
  if (!entry || ctx.srcs.length > 1) throw new RuleError(`a script target takes exactly one entry source, got ${ctx.srcs.length}; imports are found by following the entry`);
  const attrs = ctx.attrs;
  const result = await bundleScript(ctx, {
    entry: entry.path,
    outName: `${ctx.name.split('/').pop()}.js`,
    format: attrs.format,
    target: attrs.target ?? ctx.platform.settings.target,
    minify: attrs.minify,
    sourcemap: attrs.sourcemap,
    define: attrs.define,
    external: attrs.external,
    ...(attrs.global_name ? { globalName: attrs.global_name } : {}),
  });
  for (const warning of result.warnings) {
    const loc = warning.location;
    ctx.warn(warning.text, loc ? { file: loc.file.replace(/^kiln:/, ''), line: loc.line, column: loc.column + 1 } : {});
  }
  const max = ctx.platform.settings.max_size;
  if (max !== undefined && result.code.byteLength > max) {
    throw new RuleError(`bundle is ${result.code.byteLength} bytes; platform ${ctx.platform.name} allows ${max}`, { file: entry.path });
  }
  ctx.stat('modules', result.inputs.length);
  ctx.stat('bytes', result.code.byteLength);
  if (result.map) ctx.stat('map_bytes', result.map.byteLength);
  return result;
}

export async function cookScript(ctx: RuleContext<ScriptOptions, ScriptPlatformSettings>): Promise<void> {
  const result = await bundle(ctx);
  if (ctx.mode === 'validate') return;
  const mapName = result.map ? `${ctx.name}.js.map` : null;
  await ctx.output(`${ctx.name}.js`, result.code, {
    format: ctx.attrs.format,
    modules: result.inputs,
    sourcemap: mapName,
  });
  if (result.map && mapName) await ctx.output(mapName, result.map, { format: 'sourcemap' });
}
