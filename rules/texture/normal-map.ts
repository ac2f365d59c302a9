/**
 * Filtering averages normals, and an average of unit vectors is shorter than one: shading gets
 * darker and flatter with distance unless every mip level is renormalized.
 */
import type { RgbaImage } from './decode-image.js';

/** Rescales each texel's XYZ (stored as 0..255 ↦ −1..1) to unit length, in place. A zero vector becomes +Z. */
export function renormalizeNormals(image: RgbaImage): RgbaImage {
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) {
    const x = d[i]! / 127.5 - 1;
    const y = d[i + 1]! / 127.5 - 1;
    const z = d[i + 2]! / 127.5 - 1;
    const length = Math.hypot(x, y, z);
    if (length < 1e-6) {
      d[i] = 128;
      d[i + 1] = 128;
      d[i + 2] = 255;
      continue;
    }
    d[i] = Math.round((x / length + 1) * 127.5);
    d[i + 1] = Math.round((y / length + 1) * 127.5);
    d[i + 2] = Math.round((z / length + 1) * 127.5);
  }
  return image;
}

/** Mean |n| − 1 over a level: 0 for a perfectly normalized map; tests use it. */
export function meanNormalLengthError(image: RgbaImage): number {
  const d = image.data;
  let sum = 0;
  for (let i = 0; i < d.length; i += 4) {
    sum += Math.abs(Math.hypot(d[i]! / 127.5 - 1, d[i + 1]! / 127.5 - 1, d[i + 2]! / 127.5 - 1) - 1);
  }
  return sum / (d.length / 4);
}
