/**
 * `script`: JS/TS game scripts bundled and minified with esbuild. Every imported file is read
 * through the rule context (a discovered input), so editing any of them re-cooks the script.
 * esbuild strips TypeScript types without checking them.
 */
import type { RuleContext } from '../../src/rule/context.js';
import { defineRule } from '../../src/rule/rule.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { s } from '../../src/rule/schema.js';
import { type BundleResult, bundleScript } from './bundle-script.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';

export const NAME = 'script';

export interface ScriptOptions {
  /** Module format of the bundle: `esm` for `import()`, `iife` for a plain `<script>`/eval host. */
  format?: 'esm' | 'iife' | 'cjs';
  /** Minify whitespace, identifiers and syntax. */
  minify?: boolean;
  /** Emit `<name>.js.map` with workspace-relative sources. */
  sourcemap?: boolean;
  /** esbuild target (`es2020`, `chrome100`…); overrides the platform's. */
  target?: string;
  /** Compile-time constants, e.g. `{ DEBUG: "false" }` (values are JS expressions). */
  define?: Record<string, string>;
  /** Bare imports left to the game's module host (`engine`, `engine/math`). */
  external?: string[];
  /** Global variable the `iife` format assigns the exports to. */
  global_name?: string;
}

export interface ScriptPlatformSettings {
  /** Default esbuild target on this platform. */
  target?: string;
  /** Largest allowed bundle in bytes; bigger is an error. */
  max_size?: number;
}

export const DEFAULTS: Required<Omit<ScriptOptions, 'target' | 'global_name'>> = {
  format: 'esm',
  minify: true,
  sourcemap: true,
  define: {},
  external: [],
};
const DEFAULT_TARGET = 'es2020';

async function bundle(ctx: RuleContext<ScriptOptions, ScriptPlatformSettings>): Promise<BundleResult> {
  const entry = ctx.srcs[0];
  if (!entry || ctx.srcs.length > 1) throw new RuleError(`a script target takes exactly one entry source, got ${ctx.srcs.length}; imports are found by following the entry`);
  const attrs = { ...DEFAULTS, ...ctx.attrs };
  const result = await bundleScript(ctx, {
    entry: entry.path,
    outName: `${ctx.name.split('/').pop()}.js`,
    format: attrs.format,
    target: attrs.target ?? ctx.platform.settings.target ?? DEFAULT_TARGET,
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
    attributes: s.object<ScriptOptions>({
      format: s.enum(['esm', 'iife', 'cjs'] as const).describe('module format of the bundle'),
      minify: s.boolean().describe('minify the bundle'),
      sourcemap: s.boolean().describe('emit <name>.js.map'),
      target: s.string().describe('esbuild target, overrides the platform'),
      define: s.record(s.string()).describe('compile-time constants'),
      external: s.array(s.string()).describe('bare imports left to the module host'),
      global_name: s.string(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/).describe('global for the iife format'),
    }),
    defaults: DEFAULTS,
    platformSettings: s.object<ScriptPlatformSettings>({
      target: s.string().describe('default esbuild target'),
      max_size: s.integer({ min: 1 }).describe('largest bundle in bytes'),
    }),
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['esbuild'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    async cook(ctx) {
      const result = await bundle(ctx);
      const mapName = result.map ? `${ctx.name}.js.map` : null;
      await ctx.output(`${ctx.name}.js`, result.code, {
        format: ctx.attrs.format ?? DEFAULTS.format,
        modules: result.inputs,
        sourcemap: mapName,
      });
      if (result.map && mapName) await ctx.output(mapName, result.map, { format: 'sourcemap' });
    },
    async validate(ctx) {
      await bundle(ctx);
    },
  });
}
