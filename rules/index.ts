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
 * Each rule with the module a worker thread imports it from (its folder's index and factory), so
 * its cooks can run on the worker pool; the factory is called there with no arguments.
 */
function at(rule: AnyRule, folder: string, factory: string): AnyRule {
  const module: RuleModule = { url: new URL(`./${folder}/index.js`, import.meta.url).href.replace(/\.js$/, import.meta.url.endsWith('.ts') ? '.ts' : '.js'), factory };
  return { ...rule, module };
}

export function builtinRules(): AnyRule[] {
  return [
    at(filesRule(), 'files', 'filesRule'),
    at(dataRule(), 'data', 'dataRule'),
    at(textureRule(), 'texture', 'textureRule'),
    at(modelRule(), 'model', 'modelRule'),
    at(animationRule(), 'animation', 'animationRule'),
    at(audioRule(), 'audio', 'audioRule'),
    at(shaderRule(), 'shader', 'shaderRule'),
    at(materialRule(), 'material', 'materialRule'),
    at(particleRule(), 'particle', 'particleRule'),
    at(fontRule(), 'font', 'fontRule'),
    at(uiRule(), 'ui', 'uiRule'),
    at(scriptRule(), 'script', 'scriptRule'),
    at(bundleRule(), 'bundle', 'bundleRule'),
  ];
}
