/**
 * Reduces a glTF document to animation data: the selected clip(s) plus the node hierarchy they
 * drive (names and rest transforms, so a runtime binds channels to its model's nodes by name).
 * Meshes, skins, materials and textures go: they belong to the model target.
 */
import type { Document } from '@gltf-transform/core';
import { nearest } from '../../src/rule/nearest.js';
import { RuleError } from '../../src/rule/rule-error.js';

export function selectClips(doc: Document, clip: string | undefined, file: string): void {
  const animations = doc.getRoot().listAnimations();
  if (animations.length === 0) throw new RuleError('the source has no animations', { file });
  if (clip === undefined) return;
  const names = animations.map((a) => a.getName());
  if (!names.includes(clip)) {
    const hint = nearest(clip, names);
    throw new RuleError(`no clip named "${clip}"${hint ? ` (did you mean "${hint}"?)` : ''}; clips: ${names.join(', ')}`, { file });
  }
  for (const animation of animations) {
    if (animation.getName() === clip) continue;
    // Disposing the animation alone leaves its samplers holding their keyframe accessors, and
    // prune() keeps anything with a parent: take the samplers and channels down explicitly.
    for (const channel of animation.listChannels()) channel.dispose();
    for (const sampler of animation.listSamplers()) sampler.dispose();
    animation.dispose();
  }
}

export function stripToSkeleton(doc: Document): void {
  const root = doc.getRoot();
  for (const node of root.listNodes()) {
    node.setMesh(null);
    node.setSkin(null);
    node.setCamera(null);
  }
  for (const list of [root.listMeshes(), root.listSkins(), root.listMaterials(), root.listTextures(), root.listCameras()]) {
    for (const property of list) property.dispose();
  }
}
