/**
 * glTF 2.0 allows animation rotation outputs as normalized SHORT (the core spec, no extension),
 * halving their size at an angular error well below 0.01°. glTF-Transform's quantize() covers
 * vertex attributes only, so this does the animation half. Translation and scale must stay
 * float; CUBICSPLINE tangents can leave [-1, 1], so those samplers are left alone.
 */
import type { Accessor, Document } from '@gltf-transform/core';

const SHORT = 5122;

export function quantizeRotations(doc: Document): number {
  const done = new Set<Accessor>();
  for (const animation of doc.getRoot().listAnimations()) {
    for (const channel of animation.listChannels()) {
      const sampler = channel.getSampler();
      const output = sampler?.getOutput();
      if (channel.getTargetPath() !== 'rotation' || !sampler || !output || done.has(output)) continue;
      if (sampler.getInterpolation() === 'CUBICSPLINE' || output.getComponentType() !== 5126) continue;
      // An accessor shared with something other than animation samplers must stay float.
      const parents = output.listParents().filter((p) => p.propertyType !== 'Root');
      if (parents.some((p) => p.propertyType !== 'AnimationSampler')) continue;
      const floats = output.getArray() as Float32Array;
      const shorts = new Int16Array(floats.length);
      for (let i = 0; i < floats.length; i++) shorts[i] = Math.round(Math.max(-1, Math.min(1, floats[i]!)) * 32767);
      output.setArray(shorts).setNormalized(true);
      if (output.getComponentType() !== SHORT) throw new Error('rotation quantization: unexpected component type');
      done.add(output);
    }
  }
  return done.size;
}
