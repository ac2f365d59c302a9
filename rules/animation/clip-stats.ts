/** Numbers the summary reports per clip: duration, channels, keyframes. */
import type { Animation, Document } from '@gltf-transform/core';

export interface ClipStats {
  name: string;
  /** Seconds from 0 to the last keyframe. */
  duration: number;
  channels: number;
  /** Keyframe times summed over every sampler. */
  keyframes: number;
}

export function clipStats(animation: Animation, index: number): ClipStats {
  let duration = 0;
  let keyframes = 0;
  for (const sampler of animation.listSamplers()) {
    const input = sampler.getInput();
    if (!input) continue;
    keyframes += input.getCount();
    duration = Math.max(duration, input.getMax([0])[0] ?? 0);
  }
  return {
    name: animation.getName() || `animation ${index}`,
    duration: Math.round(duration * 1e6) / 1e6,
    channels: animation.listChannels().length,
    keyframes,
  };
}

export function documentClipStats(doc: Document): ClipStats[] {
  return doc
    .getRoot()
    .listAnimations()
    .map((animation, index) => clipStats(animation, index));
}
