/** Peak signal-to-noise ratio between two RGBA8 images over the channels that matter. */
import type { RgbaImage } from './decode-image.js';

/** `channels` lists the RGBA indices compared (e.g. [0, 1] for BC5). Identical images give Infinity. */
export function psnr(a: RgbaImage, b: RgbaImage, channels: readonly number[] = [0, 1, 2, 3]): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`psnr: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (const c of channels) {
      const d = a.data[i + c]! - b.data[i + c]!;
      sum += d * d;
    }
  }
  const mse = sum / ((a.data.length / 4) * channels.length);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Rounded for stats: two decimals keep summaries readable and stable. */
export function psnrStat(value: number): number | string {
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : 'lossless';
}
