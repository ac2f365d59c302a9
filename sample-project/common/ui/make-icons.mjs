// Generates the sample UI icons from signed-distance shapes (4x4 supersampled coverage), so the
// PNGs are reproducible byte for byte: `node sample-project/common/ui/make-icons.mjs`.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'icons');
mkdirSync(out, { recursive: true });

const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) <= r;
const heart = (x, y) => {
  const u = (x - 0.5) * 2.4, v = (0.45 - y) * 2.4;
  return (u * u + v * v - 1) ** 3 - u * u * v ** 3 <= 0;
};
const star = (x, y) => {
  const u = x - 0.5, v = y - 0.52;
  const a = Math.atan2(v, u), r = Math.hypot(u, v);
  const k = Math.cos((Math.PI / 5) * (2 * Math.floor((5 * a) / (2 * Math.PI) + 0.5)) - a);
  return r <= 0.46 * (0.55 + 0.45 * Math.abs(k) ** 6);
};
const gem = (x, y) => Math.abs(x - 0.5) * 1.3 + Math.abs(y - 0.55) * (y < 0.35 ? 4 : 1.1) <= 0.55 && y > 0.15;
const shield = (x, y) => y > 0.08 && Math.abs(x - 0.5) <= 0.42 * (y < 0.5 ? 1 : Math.sqrt(Math.max(0, (1 - y) / 0.5)));
const bar = (x, y) => y > 0.3 && y < 0.7 && x > 0.04 && x < 0.96;

const icons = [
  { name: 'heart', w: 24, h: 24, shape: heart, color: [220, 40, 60] },
  { name: 'star', w: 32, h: 32, shape: star, color: [250, 200, 40] },
  { name: 'coin', w: 16, h: 16, shape: circle(0.5, 0.5, 0.45), color: [230, 170, 30] },
  { name: 'gem', w: 20, h: 28, shape: gem, color: [60, 200, 220] },
  { name: 'shield', w: 40, h: 48, shape: shield, color: [90, 110, 140] },
  { name: 'bar', w: 64, h: 12, shape: bar, color: [80, 200, 90] },
];

for (const { name, w, h, shape, color } of icons) {
  const rgba = Buffer.alloc(w * h * 4);
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (shape((px + (sx + 0.5) / 4) / w, (py + (sy + 0.5) / 4) / h)) hits++;
      const shade = 0.75 + 0.25 * (1 - py / h);
      const o = (py * w + px) * 4;
      rgba[o] = Math.round(color[0] * shade);
      rgba[o + 1] = Math.round(color[1] * shade);
      rgba[o + 2] = Math.round(color[2] * shade);
      rgba[o + 3] = Math.round((hits / 16) * 255);
    }
  }
  await sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
    .png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
    .toFile(join(out, `${name}.png`));
}
console.log(`wrote ${icons.length} icons to ${out}`);
