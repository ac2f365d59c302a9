/**
 * The built-in rules. The CLI builds its registry from this list; every factory is cheap because
 * rules load their heavy libraries (sharp, glTF-Transform, encoders, esbuild…) only when they
 * first cook.
 */
import type { AnyRule, RuleModule } from '../src/rule/rule.js';
import { animationRule } from './animation/index.js';
import { audioRule } from './audio/index.js';
import { bundleRule } from './bundle/index.js';
import { dataRule } from './data/index.js';
import { filesRule } from './files/index.js';
import { fontRule } from './font/index.js';
import { materialRule } from './material/index.js';
import { modelRule } from './model/index.js';
import { particleRule } from './particle/index.js';
import { scriptRule } from './script/index.js';
import { shaderRule } from './shader/index.js';
import { textureRule } from './texture/index.js';
import { uiRule } from './ui/index.js';

/**
 * A rule with the module a worker thread imports it from (its folder's index and factory), so
 * its cooks run on the worker pool; the factory is called there with no arguments.
 */
function onPool(rule: AnyRule, folder: string, factory: string): AnyRule {
  const module: RuleModule = { url: new URL(`./${folder}/index.js`, import.meta.url).href.replace(/\.js$/, import.meta.url.endsWith('.ts') ? '.ts' : '.js'), factory };
  return { ...rule, module };
}

/**
 * Rules whose cooks are JS/wasm number crunching (codecs, mesh processing, glyph rasterizing,
 * shader compiling, wasm texture encoders) run on the worker pool. Rules that mostly copy,
 * parse small files or pack blobs (files, data, material, particle, bundle) and script (esbuild
 * runs as its own process) stay in the build's thread: measured on this machine, a worker's
 * start-up and the copies over its port cost more than such a cook (a generated workspace of
 * small textures, data and bundles built ~25 % slower with everything on the pool).
 */
export function builtinRules(): AnyRule[] {
  return [
    filesRule(),
    dataRule(),
    onPool(textureRule(), 'texture', 'textureRule'),
    onPool(modelRule(), 'model', 'modelRule'),
    onPool(animationRule(), 'animation', 'animationRule'),
    onPool(audioRule(), 'audio', 'audioRule'),
    onPool(shaderRule(), 'shader', 'shaderRule'),
    materialRule(),
    particleRule(),
    onPool(fontRule(), 'font', 'fontRule'),
    onPool(uiRule(), 'ui', 'uiRule'),
    scriptRule(),
    bundleRule(),
  ] as AnyRule[];
}
