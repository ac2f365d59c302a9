/**
 * The `script` rule's options and platform settings, each declared once (schema, default,
 * description; types inferred). A leaf: index.ts and the cook helpers import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

export const SCRIPT_OPTIONS = s.object({
  // esm for `import()`, iife for a plain `<script>`/eval host.
  format: s.enum(['esm', 'iife', 'cjs'] as const).default('esm').describe('module format of the bundle'),
  // Whitespace, identifiers and syntax.
  minify: s.boolean().default(true).describe('minify the bundle'),
  // Workspace-relative sources.
  sourcemap: s.boolean().default(true).describe('emit <name>.js.map'),
  // `es2020`, `chrome100`…; unset: the platform's.
  target: s.string().describe('esbuild target, overrides the platform'),
  // Values are JS expressions, e.g. `{ DEBUG: "false" }`.
  define: s.record(s.string()).default({}).describe('compile-time constants'),
  // e.g. `engine`, `engine/math`.
  external: s.array(s.string()).default([]).describe('bare imports left to the module host'),
  global_name: s.string(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/).describe('global for the iife format'),
});
export type ScriptOptions = Infer<typeof SCRIPT_OPTIONS>;

export const SCRIPT_SETTINGS = s.object({
  target: s.string().default('es2020').describe('default esbuild target'),
  // Bigger is an error.
  max_size: s.integer({ min: 1 }).describe('largest bundle in bytes'),
});
export type ScriptPlatformSettings = Infer<typeof SCRIPT_SETTINGS>;
