/**
 * Textures are cooked by the texture rule as their own targets, so a texture shared by several
 * models is stored once. A model target lists them in `deps`; here each glTF image is matched to
 * the dependency whose declared sources contain the image's file (or, for images embedded in a
 * .glb or data: URI, a source with identical bytes).
 *
 * A matched texture stays standard glTF so stock loaders (three.js, Babylon, viewers, glTF-
 * Transform) show it textured, and kiln's reference rides on top as an extension kiln's runtime
 * prefers (see fallback-image.ts and write-glb.ts for what each texture carries):
 *
 *   "textures": [{ "sampler": 0, "source": 0,
 *     "extensions": { "KILN_texture_ref": { "assetId": "…", "label": "//props:duck_tex" },
 *                     "KHR_texture_basisu": { "source": 1 } } }]        // Basis platforms only
 */
import type { Document, Texture } from '@gltf-transform/core';
import type { DepInfo, RuleContext } from '../../src/rule/context.js';

export const KILN_TEXTURE_REF = 'KILN_texture_ref';

export interface TextureRef {
  assetId: string;
  label: string;
}

/** What a matched texture carries in the cooked GLB besides the reference. */
export interface MatchedTexture {
  ref: TextureRef;
  /** The texture target's cooked KTX2 when it is Basis Universal (KHR_texture_basisu needs Basis). */
  basisKtx2?: Uint8Array;
}

interface Candidate {
  dep: DepInfo;
  path: string;
}

/** Image bytes → reference; keyed by content so it applies to every cloned LOD document. */
export class TextureRefs {
  private readonly byContent: { image: Uint8Array; match: MatchedTexture }[] = [];
  readonly unmatched: string[] = [];

  get count(): number {
    return this.list().length;
  }

  /** Distinct referenced texture assets, sorted by label (deterministic meta). */
  list(): TextureRef[] {
    const byLabel = new Map(this.byContent.map((e) => [e.match.ref.label, e.match.ref]));
    return [...byLabel.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }

  /** Distinct referenced textures shipped as KHR_texture_basisu. */
  get basisCount(): number {
    return new Set(this.byContent.filter((e) => e.match.basisKtx2).map((e) => e.match.ref.label)).size;
  }

  refFor(texture: Texture): TextureRef | undefined {
    return this.matchFor(texture)?.ref;
  }

  matchFor(texture: Texture): MatchedTexture | undefined {
    const image = texture.getImage();
    if (!image) return undefined;
    return this.byContent.find((entry) => sameBytes(entry.image, image))?.match;
  }

  add(image: Uint8Array, match: MatchedTexture): void {
    this.byContent.push({ image, match });
  }
}

export async function matchTextureRefs(
  ctx: RuleContext<object, object>,
  doc: Document,
  imagePaths: ReadonlyMap<string, string>,
  embedBasis = true,
): Promise<TextureRefs> {
  const refs = new TextureRefs();
  const candidates: Candidate[] = ctx.deps
    .filter((dep) => dep.type === 'texture')
    .flatMap((dep) => dep.srcs.map((path) => ({ dep, path })));
  const contents = new Map<string, Uint8Array | undefined>();
  const basis = new Map<string, Uint8Array | undefined>();
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
    if (!match) {
      refs.unmatched.push(path ?? (texture.getName() ? `"${texture.getName()}"` : `embedded image ${index}`));
      continue;
    }
    const dep = match.dep;
    if (embedBasis && !basis.has(dep.label)) basis.set(dep.label, await basisOutput(ctx, dep));
    const basisKtx2 = basis.get(dep.label);
    refs.add(image, { ref: { assetId: dep.assetId, label: dep.label }, ...(basisKtx2 ? { basisKtx2 } : {}) });
  }
  return refs;
}

/**
 * The dependency's main output if it is a Basis Universal KTX2 (vkFormat UNDEFINED with a BasisLZ
 * or UASTC payload): KHR_texture_basisu allows nothing else, so BC7/ASTC/ETC2 outputs stay out.
 */
async function basisOutput(ctx: RuleContext<object, object>, dep: DepInfo): Promise<Uint8Array | undefined> {
  const main = dep.outputs[0];
  if (!main || !main.name.endsWith('.ktx2')) return undefined;
  const bytes = await ctx.readOutput(main);
  // Imported here, not with the rule list: every `kiln build` that cooks loads that.
  const { read: readKtx2 } = await import('ktx-parse');
  try {
    const container = readKtx2(bytes);
    const UASTC = 166;
    const isBasis = container.vkFormat === 0 && (container.supercompressionScheme === 1 || container.dataFormatDescriptor[0]?.colorModel === UASTC);
    return isBasis ? bytes : undefined;
  } catch {
    // Not a KTX2 the reader understands: no Basis payload to offer, the fallback image remains.
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.byteLength !== b.byteLength) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
