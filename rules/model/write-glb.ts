/**
 * Writes one LOD document as GLB bytes, with referenced textures swapped for KILN_texture_ref.
 * glTF-Transform's writer is byte-deterministic; the JSON rewrite and GLB packing here keep it so
 * (no maps iterated in insertion-dependent ways, extension names sorted).
 */
import type { Document, PlatformIO } from '@gltf-transform/core';
import { packGlb } from './glb-container.js';
import { type TextureRef, type TextureRefs, detachImages } from './texture-refs.js';

/** Only core image formats are swapped: other formats hang off texture extensions we would break. */
const DETACHABLE = new Set(['image/png', 'image/jpeg']);

/**
 * Drops the image data of every referenced texture (the texture rule stores it) and remembers
 * which image indices those were. Idempotent: a second call on the same document finds the same
 * textures by their (now empty) image slot.
 */
export function prepareTextureRefs(doc: Document, refs: TextureRefs, detached = new Map<number, TextureRef>()): Map<number, TextureRef> {
  doc
    .getRoot()
    .listTextures()
    .forEach((texture, index) => {
      if (!DETACHABLE.has(texture.getMimeType())) return;
      const ref = refs.refFor(texture);
      if (!ref) return;
      detached.set(index, ref);
      texture.setImage(null);
    });
  return detached;
}

export async function writeGlb(io: PlatformIO, doc: Document, detached: ReadonlyMap<number, TextureRef>): Promise<Uint8Array> {
  const { json, resources } = await io.writeJSON(doc, { format: 'GLB' as never });
  detachImages(json as never, detached);
  return packGlb(json, Object.values(resources)[0]);
}
