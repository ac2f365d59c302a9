/**
 * `material`: a YAML/JSON material definition that names a shader (and variant) and textures by
 * label. Cooks to canonical JSON with asset ids, after checking every reference is a declared
 * dependency and every param and texture slot against the shader's reflection.
 */
import { defineRule } from '../../src/rule/rule.js';
import { cookMaterial } from './cook-material.js';
import { MATERIAL_OPTIONS, MATERIAL_SETTINGS } from './options.js';

export const NAME = 'material';
export { MATERIAL_OPTIONS, MATERIAL_SETTINGS, type MaterialOptions, type MaterialPlatformSettings } from './options.js';

export function materialRule() {
  return defineRule({
    name: NAME,
    version: 1,
    type: 'material',
    description: 'YAML/JSON material → canonical JSON with shader/texture asset ids, checked against shader reflection',
    attributes: MATERIAL_OPTIONS,
    platformSettings: MATERIAL_SETTINGS,
    cook: (ctx) => cookMaterial(ctx),
  });
}
