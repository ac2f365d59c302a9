/**
 * Images with no texture target stay inside the GLB. On platforms with a texture size limit
 * they are downscaled (aspect kept, format kept) so one forgotten texture dependency does not
 * ship a 4K image to a phone. sharp is loaded only when an image actually needs it.
 */
import type { Document } from '@gltf-transform/core';
import type { TextureRefs } from './texture-refs.js';

export async function downscaleEmbedded(doc: Document, refs: TextureRefs, maxSize: number): Promise<number> {
  if (maxSize <= 0) return 0;
  let resized = 0;
  for (const texture of doc.getRoot().listTextures()) {
    const image = texture.getImage();
    const mime = texture.getMimeType();
    if (!image || refs.refFor(texture) || (mime !== 'image/png' && mime !== 'image/jpeg')) continue;
    const size = texture.getSize();
    if (!size || Math.max(size[0], size[1]) <= maxSize) continue;
    const { default: sharp } = await import('sharp');
    const pipeline = sharp(image).resize({ width: maxSize, height: maxSize, fit: 'inside' });
    const out = mime === 'image/png' ? pipeline.png() : pipeline.jpeg({ quality: 90 });
    texture.setImage(new Uint8Array(await out.toBuffer()));
    resized++;
  }
  return resized;
}
