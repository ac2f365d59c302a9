/**
 * `format: png | webp`: level 0 is the main output, each further mip level an extra output
 * `<name>.mip<N>.<ext>` (image files hold one level). Lossless WebP for normal maps and linear
 * data, where lossy artefacts turn into lighting errors.
 */
import { loadSharp, type RgbaImage } from './decode-image.js';

export async function encodeImageFile(image: RgbaImage, ext: 'png' | 'webp', options: { quality: number; lossless: boolean }): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  const out =
    ext === 'png'
      ? await pipeline.png({ compressionLevel: 6, adaptiveFiltering: true }).toBuffer()
      : await pipeline.webp(options.lossless ? { lossless: true, effort: 4 } : { quality: options.quality, alphaQuality: 100, effort: 4 }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export async function encodeMipFiles(mips: RgbaImage[], ext: 'png' | 'webp', options: { quality: number; lossless: boolean }): Promise<Uint8Array[]> {
  const files: Uint8Array[] = [];
  for (const mip of mips) files.push(await encodeImageFile(mip, ext, options));
  return files;
}
