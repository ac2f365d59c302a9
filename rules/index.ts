/**
 * The built-in rules. The CLI builds its registry from this list; every factory is cheap because
 * rules load their heavy libraries (sharp, glTF-Transform, encoders, esbuild…) only when they
 * first cook.
 */
import type { AnyRule } from '../src/rule/rule.js';
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

export function builtinRules(): AnyRule[] {
  return [
    filesRule(),
    dataRule(),
    textureRule(),
    modelRule(),
    animationRule(),
    audioRule(),
    shaderRule(),
    materialRule(),
    particleRule(),
    fontRule(),
    uiRule(),
    scriptRule(),
    bundleRule(),
  ] as AnyRule[];
}
