/**
 * The shared, LOD-independent part of the cook: merge duplicates, weld, add MikkTSpace tangents
 * where a normal-mapped material lacks them, and resample animations. Runs once on the source
 * document; every LOD is simplified from its result.
 */
import type { Document, Primitive } from '@gltf-transform/core';
import type { ModelCodecs } from './codecs.js';
import { repairTangents } from './repair-tangents.js';

export interface GeometryOptions {
  /** Generate tangents for normal-mapped primitives that have none. */
  tangents: boolean;
  /** Keyframe tolerance for lossless-looking animation resampling; 0 disables resampling. */
  resampleTolerance: number;
}

export interface GeometryReport {
  tangentsGenerated: number;
  /** Generated tangents that were degenerate (zero length) and replaced. */
  tangentsRepaired: number;
  keyframesBefore: number;
  keyframesAfter: number;
}

export async function optimizeGeometry(doc: Document, codecs: ModelCodecs, options: GeometryOptions): Promise<GeometryReport> {
  const { dedup, prune, weld, unweld, tangents, resample } = codecs.functions;
  await doc.transform(dedup(), prune({ keepSolidTextures: true }), weld());

  let tangentsGenerated = 0;
  let repaired = 0;
  const needTangents = options.tangents ? listPrimitives(doc).filter(needsTangents) : [];
  if (needTangents.length > 0) {
    // glTF-Transform's tangents() skips indexed primitives, and MikkTSpace wants one vertex per
    // corner anyway: unweld, generate, weld back.
    await doc.transform(unweld(), tangents({ generateTangents: codecs.generateTangents, overwrite: false }));
    for (const prim of needTangents) repaired += repairTangents(prim);
    await doc.transform(weld());
    tangentsGenerated = needTangents.length;
  }

  const keyframesBefore = countKeyframes(doc);
  if (options.resampleTolerance > 0 && doc.getRoot().listAnimations().length > 0) {
    await doc.transform(resample({ tolerance: options.resampleTolerance }));
  }
  return { tangentsGenerated, tangentsRepaired: repaired, keyframesBefore, keyframesAfter: countKeyframes(doc) };
}

export function listPrimitives(doc: Document): Primitive[] {
  return doc
    .getRoot()
    .listMeshes()
    .flatMap((mesh) => mesh.listPrimitives());
}

function needsTangents(prim: Primitive): boolean {
  const normalTexture = prim.getMaterial()?.getNormalTextureInfo();
  if (!prim.getMaterial()?.getNormalTexture() || !normalTexture) return false;
  if (prim.getAttribute('TANGENT') || !prim.getAttribute('NORMAL')) return false;
  return prim.getAttribute(`TEXCOORD_${normalTexture.getTexCoord()}`) !== null;
}

export function countKeyframes(doc: Document): number {
  let count = 0;
  for (const animation of doc.getRoot().listAnimations()) {
    for (const sampler of animation.listSamplers()) count += sampler.getInput()?.getCount() ?? 0;
  }
  return count;
}
