/**
 * The standard image a referenced texture keeps as its glTF `source`, so a loader that knows
 * nothing about kiln still shows the model textured. It is the source image scaled down to at
 * most `fallback_texture_size` pixels on its longest side (PNG stays PNG, JPEG stays JPEG: both
 * are core glTF, unlike WebP or KTX2). kiln's runtime ignores it and binds the texture asset named
 * by KILN_texture_ref, cooked for the platform; a small fallback costs little per LOD file.
 * Chosen over a URI because a URI would have to resolve next to wherever the GLB ends up (a
 * bundle, a CDN, kiln-out) while an embedded image always travels with the file.
 */
import { createHash } from 'node:crypto';
import type { Texture } from '@gltf-transform/core';

/** Fallback bytes per source image, computed once for every LOD document. */
export class FallbackImages {
  /** By content: every LOD document is a clone with its own copy of the image bytes. */
  private readonly done = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly maxSize: number) {}

  /** The fallback for this texture's current (source) image, same MIME type. */
  for(texture: Texture): Promise<Uint8Array> {
    const image = texture.getImage()!;
    const key = createHash('sha256').update(image).digest('hex');
    let pending = this.done.get(key);
    if (!pending) {
      pending = this.make(image, texture.getMimeType(), texture.getSize());
      this.done.set(key, pending);
    }
    return pending;
  }

  private async make(image: Uint8Array, mime: string, size: [number, number] | null): Promise<Uint8Array> {
    if (size && Math.max(size[0], size[1]) <= this.maxSize) return image;
    const { default: sharp } = await import('sharp');
    const pipeline = sharp(image).resize({ width: this.maxSize, height: this.maxSize, fit: 'inside' });
    const out = mime === 'image/jpeg' ? pipeline.jpeg({ quality: 85 }) : pipeline.png();
    return new Uint8Array(await out.toBuffer());
  }
}
