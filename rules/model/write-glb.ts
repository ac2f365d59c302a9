/**
 * Writes one LOD document as GLB bytes with every referenced texture made standard glTF plus
 * kiln's reference (see texture-refs.ts): the texture's image becomes the small fallback image
 * (fallback-image.ts), the JSON gains KILN_texture_ref and, on Basis platforms, the cooked KTX2 is
 * appended to the binary chunk and referenced through KHR_texture_basisu.
 * glTF-Transform's writer is byte-deterministic; the JSON rewrite and GLB packing here keep it so
 * (no maps iterated in insertion-dependent ways, extension names sorted).
 */
import type { Document, PlatformIO } from '@gltf-transform/core';
import type { FallbackImages } from './fallback-image.js';
import { packGlb } from './glb-container.js';
import { KILN_TEXTURE_REF, type MatchedTexture, type TextureRefs } from './texture-refs.js';

export const KHR_TEXTURE_BASISU = 'KHR_texture_basisu';

/** Only core image formats are swapped: other formats hang off texture extensions we would break. */
const DETACHABLE = new Set(['image/png', 'image/jpeg']);

/**
 * Swaps the image of every referenced texture for its fallback and remembers which texture
 * indices those were. Call once per document, before the first write.
 */
export async function prepareTextureRefs(doc: Document, refs: TextureRefs, fallbacks: FallbackImages): Promise<Map<number, MatchedTexture>> {
  const detached = new Map<number, MatchedTexture>();
  for (const [index, texture] of doc.getRoot().listTextures().entries()) {
    if (!DETACHABLE.has(texture.getMimeType())) continue;
    const match = refs.matchFor(texture);
    if (!match) continue;
    detached.set(index, match);
    texture.setImage(await fallbacks.for(texture));
  }
  return detached;
}

type JsonTexture = { source?: number; extensions?: Record<string, unknown> };
type JsonRoot = {
  buffers?: { byteLength: number; uri?: string }[];
  bufferViews?: { buffer: number; byteOffset?: number; byteLength: number }[];
  images?: { bufferView?: number; mimeType?: string; uri?: string }[];
  textures?: JsonTexture[];
  extensionsUsed?: string[];
};

export async function writeGlb(io: PlatformIO, doc: Document, detached: ReadonlyMap<number, MatchedTexture>): Promise<Uint8Array> {
  const { json, resources } = await io.writeJSON(doc, { format: 'GLB' as never });
  const bin = attachTextureRefs(json as JsonRoot, Object.values(resources)[0], detached);
  return packGlb(json, bin);
}

/** Adds the extensions to the written JSON; returns the binary chunk with any KTX2 payloads appended. */
export function attachTextureRefs(json: JsonRoot, bin: Uint8Array | undefined, detached: ReadonlyMap<number, MatchedTexture>): Uint8Array | undefined {
  if (detached.size === 0) return bin;
  const used = new Set(json.extensionsUsed ?? []);
  used.add(KILN_TEXTURE_REF);
  const appended: Uint8Array[] = [];
  let binLength = bin?.byteLength ?? 0;
  const ktx2Image = new Map<Uint8Array, number>();
  for (const [index, match] of [...detached.entries()].sort((a, b) => a[0] - b[0])) {
    const texture = json.textures?.[index];
    if (!texture) continue;
    const extensions: Record<string, unknown> = { ...texture.extensions, [KILN_TEXTURE_REF]: { assetId: match.ref.assetId, label: match.ref.label } };
    if (match.basisKtx2) {
      let image = ktx2Image.get(match.basisKtx2);
      if (image === undefined) {
        const offset = Math.ceil(binLength / 4) * 4;
        if (offset > binLength) appended.push(new Uint8Array(offset - binLength));
        appended.push(match.basisKtx2);
        binLength = offset + match.basisKtx2.byteLength;
        json.bufferViews ??= [];
        json.bufferViews.push({ buffer: glbBufferIndex(json), byteOffset: offset, byteLength: match.basisKtx2.byteLength });
        json.images ??= [];
        image = json.images.length;
        json.images.push({ bufferView: json.bufferViews.length - 1, mimeType: 'image/ktx2' });
        ktx2Image.set(match.basisKtx2, image);
      }
      extensions[KHR_TEXTURE_BASISU] = { source: image };
      used.add(KHR_TEXTURE_BASISU);
    }
    texture.extensions = Object.fromEntries(Object.entries(extensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  json.extensionsUsed = [...used].sort();
  if (appended.length === 0) return bin;
  const out = new Uint8Array(binLength);
  let at = 0;
  for (const part of [bin ?? new Uint8Array(0), ...appended]) {
    out.set(part, at);
    at += part.byteLength;
  }
  json.buffers![glbBufferIndex(json)]!.byteLength = binLength;
  return out;
}

/** The buffer stored in the GLB's BIN chunk: by the GLB spec, buffer 0 (without a URI). */
function glbBufferIndex(json: JsonRoot): number {
  json.buffers ??= [];
  if (json.buffers.length === 0) json.buffers.push({ byteLength: 0 });
  return 0;
}
