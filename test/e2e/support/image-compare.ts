/** Image similarity for render and texture comparisons: PSNR over chosen channels and a windowed SSIM on luma. */

export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** PSNR in dB over `channels` of every pixel where `mask` (if given) is true; Infinity when identical. */
export function psnr(a: Rgba, b: Rgba, channels: readonly number[] = [0, 1, 2], mask?: (i: number) => boolean): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`size ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    if (mask && !mask(i)) continue;
    for (const c of channels) {
      const d = a.data[i * 4 + c]! - b.data[i * 4 + c]!;
      sum += d * d;
      count++;
    }
  }
  if (count === 0) return 0;
  const mse = sum / count;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

function luma(image: Rgba): Float64Array {
  const out = new Float64Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * image.data[i * 4]! + 0.587 * image.data[i * 4 + 1]! + 0.114 * image.data[i * 4 + 2]!;
  return out;
}

/** Mean SSIM over 8×8 windows (step 4) of luma, the usual constants (K1 0.01, K2 0.03, L 255). */
export function ssim(a: Rgba, b: Rgba): number {
  const la = luma(a);
  const lb = luma(b);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let windows = 0;
  for (let y = 0; y + 8 <= a.height; y += 4) {
    for (let x = 0; x + 8 <= a.width; x += 4) {
      let ma = 0;
      let mb = 0;
      for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) (ma += la[(y + j) * a.width + x + i]!), (mb += lb[(y + j) * a.width + x + i]!);
      ma /= 64;
      mb /= 64;
      let va = 0;
      let vb = 0;
      let cov = 0;
      for (let j = 0; j < 8; j++) {
        for (let i = 0; i < 8; i++) {
          const da = la[(y + j) * a.width + x + i]! - ma;
          const db = lb[(y + j) * a.width + x + i]! - mb;
          va += da * da;
          vb += db * db;
          cov += da * db;
        }
      }
      va /= 63;
      vb /= 63;
      cov /= 63;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      windows++;
    }
  }
  return windows === 0 ? 1 : total / windows;
}
