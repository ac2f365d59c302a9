/**
 * `animation`: clips extracted from a glTF/GLB into their own GLB (skeleton + animations, no
 * meshes), resampled with glTF-Transform and with rotations quantized to normalized int16.
 * One target per clip (`clip: Walk`) or every clip in one output (no `clip`).
 */
import { defineRule } from '../../src/rule/rule.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';
import type { ModelCodecs } from '../model/codecs.js';
import { ANIMATION_OPTIONS, type AnimationOptions } from './options.js';

export { ANIMATION_OPTIONS, type AnimationOptions } from './options.js';

export const NAME = 'animation';

export function animationRule(codecs?: ModelCodecs) {
  const getCodecs = async () => codecs ?? (await import('../model/codecs.js')).loadModelCodecs();
  return defineRule<AnimationOptions>({
    name: NAME,
    version: 2,
    type: 'animation',
    description: 'glTF/GLB animation clips → skeleton + clips GLB, resampled, rotations quantized',
    attributes: ANIMATION_OPTIONS,
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['@gltf-transform/core', '@gltf-transform/functions'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    async cook(ctx) {
      const { cookAnimation } = await import('./cook-animation.js');
      await cookAnimation(ctx, await getCodecs());
    },
  });
}
