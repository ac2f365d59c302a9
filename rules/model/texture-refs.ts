/**
 * Textures are cooked by the texture rule as their own targets, so a texture shared by several
 * models is stored once. A model target lists them in `deps`; here each glTF image is matched to
 * the dependency whose declared sources contain the image's file (or, for images embedded in a
 * .glb or data: URI, a source with identical bytes). Matched images are dropped from the cooked
 * GLB and the glTF texture points at the texture asset instead:
 *
 *   "textures": [{ "sampler": 0, "extensions": { "KILN_texture_ref": { "assetId": "…", "label": "//props:duck_tex" } } }]
 *
 * A texture without `source` is valid glTF 2.0 ("an extension may supply the source"), so the
 * file still validates with 0 errors; the validator reports the unknown extension as a warning.
 */
import type { Document, Texture } from '@gltf-transform/core';
import type { DepInfo, RuleContext } from '../../src/rule/context.js';

export const KILN_TEXTURE_REF = 'KILN_texture_ref';

export interface TextureRef {
  assetId: string;
  label: string;
}

interface Candidate {
  dep: DepInfo;
  path: string;
}

/** Image bytes → reference; keyed by content so it applies to every cloned LOD document. */
export class TextureRefs {
  private readonly byContent: { image: Uint8Array; ref: TextureRef }[] = [];
  readonly unmatched: string[] = [];

  get count(): number {
    return this.list().length;
  }

  /** Distinct referenced texture assets, sorted by label (deterministic meta). */
  list(): TextureRef[] {
    const byLabel = new Map(this.byContent.map((e) => [e.ref.label, e.ref]));
    return [...byLabel.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }

  refFor(texture: Texture): TextureRef | undefined {
    const image = texture.getImage();
    if (!image) return undefined;
    return this.byContent.find((entry) => sameBytes(entry.image, image))?.ref;
  }

  add(image: Uint8Array, ref: TextureRef): void {
    this.byContent.push({ image, ref });
  }
}

export async function matchTextureRefs(
  ctx: RuleContext<object, object>,
  doc: Document,
  imagePaths: ReadonlyMap<string, string>,
): Promise<TextureRefs> {
  const refs = new TextureRefs();
  const candidates: Candidate[] = ctx.deps
    .filter((dep) => dep.type === 'texture')
    .flatMap((dep) => dep.srcs.map((path) => ({ dep, path })));
  const contents = new Map<string, Uint8Array | undefined>();
  for (const [index, texture] of doc.getRoot().listTextures().entries()) {
    const image = texture.getImage();
    if (!image) continue;
    const path = imagePaths.get(texture.getURI());
    let match = path ? candidates.find((c) => c.path === path) : undefined;
    if (!match) {
      for (const candidate of candidates) {
        if (!contents.has(candidate.path)) contents.set(candidate.path, await ctx.readFile(candidate.path));
        const bytes = contents.get(candidate.path);
        if (bytes && sameBytes(bytes, image)) {
          match = candidate;
          break;
        }
      }
    }
    if (match) refs.add(image, { assetId: match.dep.assetId, label: match.dep.label });
    else refs.unmatched.push(path ?? (texture.getName() ? `"${texture.getName()}"` : `embedded image ${index}`));
  }
  return refs;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.byteLength !== b.byteLength) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

type JsonTexture = { source?: number; extensions?: Record<string, unknown> };
type JsonRoot = {
  images?: unknown[];
  textures?: JsonTexture[];
  extensionsUsed?: string[];
};

/**
 * Rewrites written glTF JSON: images listed in `detached` (written without data) are removed,
 * the textures that used them get a KILN_texture_ref, the others are renumbered.
 */
export function detachImages(json: JsonRoot, detached: ReadonlyMap<number, TextureRef>): void {
  if (detached.size === 0) return;
  const images = json.images ?? [];
  const remap = new Map<number, number>();
  const kept: unknown[] = [];
  images.forEach((image, index) => {
    if (detached.has(index)) return;
    remap.set(index, kept.length);
    kept.push(image);
  });
  for (const texture of json.textures ?? []) {
    if (texture.source === undefined) continue;
    const ref = detached.get(texture.source);
    if (ref) {
      delete texture.source;
      texture.extensions = { ...texture.extensions, [KILN_TEXTURE_REF]: { assetId: ref.assetId, label: ref.label } };
    } else {
      texture.source = remap.get(texture.source);
    }
  }
  if (kept.length > 0) json.images = kept;
  else delete json.images;
  const used = new Set(json.extensionsUsed ?? []);
  used.add(KILN_TEXTURE_REF);
  json.extensionsUsed = [...used].sort();
}
