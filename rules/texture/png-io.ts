/** The native encoders read and write PNG files; these move RGBA8 images in and out of them. */
import { readFile, writeFile } from 'node:fs/promises';
import { loadSharp, type RgbaImage } from './decode-image.js';

export async function writePng(image: RgbaImage, path: string): Promise<void> {
  const sharp = await loadSharp();
  // Level 1 deflate: these files live for one encoder call, so speed beats size.
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png({ compressionLevel: 1, adaptiveFiltering: false })
    .toBuffer();
  await writeFile(path, png);
}

/** Reads a PNG as RGBA8; `alphaPath` (a grey PNG) replaces the alpha channel when given. */
export async function readPng(path: string, alphaPath?: string): Promise<RgbaImage> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(await readFile(path)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (alphaPath) {
    const alpha = await sharp(await readFile(alphaPath)).extractChannel(0).raw().toBuffer();
    for (let i = 0; i < alpha.length; i++) out[i * 4 + 3] = alpha[i]!;
  }
  return { data: out, width: info.width, height: info.height };
}
