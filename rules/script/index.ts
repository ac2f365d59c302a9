/**
 * `script`: JS/TS game scripts bundled and minified with esbuild. Every imported file is read
 * through the rule context (a discovered input), so editing any of them re-cooks the script.
 * esbuild strips TypeScript types without checking them.
 */
import type { RuleContext } from '../../src/rule/context.js';
import { defineRule } from '../../src/rule/rule.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { type BundleResult, bundleScript } from './bundle-script.js';
import { SCRIPT_OPTIONS, SCRIPT_SETTINGS, type ScriptOptions, type ScriptPlatformSettings } from './options.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';

export const NAME = 'script';
export { SCRIPT_OPTIONS, SCRIPT_SETTINGS, type ScriptOptions, type ScriptPlatformSettings } from './options.js';

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

export function scriptRule() {
  return defineRule<ScriptOptions, ScriptPlatformSettings>({
    name: NAME,
    version: 1,
    type: 'script',
    description: 'JS/TS entry → one deterministic esbuild bundle (minified, source map); imports are discovered inputs',
    attributes: SCRIPT_OPTIONS,
    platformSettings: SCRIPT_SETTINGS,
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['esbuild'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    async cook(ctx) {
      const result = await bundle(ctx);
      if (ctx.mode === 'validate') return;
      const mapName = result.map ? `${ctx.name}.js.map` : null;
      await ctx.output(`${ctx.name}.js`, result.code, {
        format: ctx.attrs.format,
        modules: result.inputs,
        sourcemap: mapName,
      });
      if (result.map && mapName) await ctx.output(mapName, result.map, { format: 'sourcemap' });
    },
  });
}
