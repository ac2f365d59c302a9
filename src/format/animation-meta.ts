/** What an animation output (a GLB of clips) carries. */
import { meta, readSpec, type MetaOf } from './meta-spec.js';

export const ANIMATION_META = {
  clips: meta.list(meta.object({ name: meta.string, duration: meta.number, channels: meta.int, keyframes: meta.int })),
  /** Seconds of the longest clip. */
  duration: meta.number,
  nodes: meta.int,
};
export type AnimationMeta = MetaOf<typeof ANIMATION_META>;

export function readAnimationMeta(value: unknown, where: string): AnimationMeta {
  return readSpec(ANIMATION_META, value, where);
}
