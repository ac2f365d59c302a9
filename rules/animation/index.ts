/**
 * `animation`: clips extracted from a glTF/GLB into their own GLB (skeleton + animations, no
 * meshes), resampled with glTF-Transform and with rotations quantized to normalized int16.
 * One target per clip (`clip: Walk`) or every clip in one output (no `clip`).
 */
import { defineRule } from '../../src/rule/rule.js';
import { s } from '../../src/rule/schema.js';
import type { ModelCodecs } from '../model/codecs.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';

import type { AnimationOptions } from './options.js';
export type { AnimationOptions } from './options.js';

export const NAME = 'animation';


export const DEFAULTS: AnimationOptions = {
  resample_tolerance: 1e-4,
  quantize: true,
  input_validation: 'error',
};

export function animationRule(codecs?: ModelCodecs) {
  const getCodecs = async () => codecs ?? (await import('../model/codecs.js')).loadModelCodecs();
  return defineRule<AnimationOptions>({
    name: NAME,
    version: 2,
    type: 'animation',
    description: 'glTF/GLB animation clips → skeleton + clips GLB, resampled, rotations quantized',
    attributes: s.object<AnimationOptions>({
      clip: s.string().describe('one clip by name; all clips when unset'),
      resample_tolerance: s.number({ min: 0, max: 1 }).describe('keyframe resampling tolerance'),
      quantize: s.boolean().describe('int16 rotation keyframes'),
      input_validation: s.enum(['error', 'warn', 'off'] as const).describe('validator errors in the source'),
    }),
    defaults: DEFAULTS,
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['@gltf-transform/core', '@gltf-transform/functions'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    async cook(ctx) {
      const { cookAnimation } = await import('./cook-animation.js');
      await cookAnimation(ctx, await getCodecs(), true);
    },
    async validate(ctx) {
      const { cookAnimation } = await import('./cook-animation.js');
      await cookAnimation(ctx, await getCodecs(), false);
    },
  });
}
