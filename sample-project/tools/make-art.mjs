// Generates the sample project's procedural textures (deterministic: a seeded PRNG, no time).
// Run from the repo root: `node sample-project/tools/make-art.mjs`. The PNGs are committed, so
// this only needs re-running when the art should change. Licensed like the repo (MIT).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp from 'sharp';

function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Smooth value noise with a few octaves, tiling at `size`. */
function noiseField(size, seed, cells) {
  const random = rng(seed);
  const grid = Array.from({ length: cells * cells }, () => random());
  const at = (x, y) => grid[((y + cells) % cells) * cells + ((x + cells) % cells)];
  const field = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const gx = (x / size) * cells;
      const gy = (y / size) * cells;
      const x0 = Math.floor(gx);
      const y0 = Math.floor(gy);
      const fx = gx - x0;
      const fy = gy - y0;
      const sx = fx * fx * (3 - 2 * fx);
      const sy = fy * fy * (3 - 2 * fy);
      const top = at(x0, y0) * (1 - sx) + at(x0 + 1, y0) * sx;
      const bottom = at(x0, y0 + 1) * (1 - sx) + at(x0 + 1, y0 + 1) * sx;
      field[y * size + x] = top * (1 - sy) + bottom * sy;
    }
  }
  return field;
}

function fractal(size, seed) {
  const out = new Float32Array(size * size);
  let amplitude = 0.5;
  for (const cells of [4, 8, 16, 32]) {
    const layer = noiseField(size, seed + cells, cells);
    for (let i = 0; i < out.length; i++) out[i] += layer[i] * amplitude;
    amplitude /= 2;
  }
  return out;
}

async function save(path, size, channels, pixel) {
  const data = Buffer.alloc(size * size * channels);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const value = pixel(x, y);
      for (let c = 0; c < channels; c++) data[(y * size + x) * channels + c] = Math.max(0, Math.min(255, Math.round(value[c])));
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  await sharp(data, { raw: { width: size, height: size, channels } }).png({ compressionLevel: 9, effort: 7 }).toFile(path);
}

const tint = (n, [r, g, b]) => [r * n, g * n, b * n];

async function main() {
  const forest = 'sample-project/levels/forest/textures';
  const desert = 'sample-project/levels/desert/textures';
  const bark = fractal(256, 11);
  await save(`${forest}/bark.png`, 256, 3, (x, y) => {
    const stripe = 0.6 + 0.4 * Math.sin((x / 256) * Math.PI * 18 + bark[y * 256 + x] * 6);
    return tint(0.35 + 0.65 * stripe * bark[y * 256 + x], [150, 100, 60]);
  });
  const leaves = fractal(256, 23);
  await save(`${forest}/leaves.png`, 256, 4, (x, y) => {
    const n = leaves[y * 256 + x];
    return [...tint(0.4 + n, [60, 140, 50]), n > 0.45 ? 255 : 0];
  });
  for (const [i, seed] of [[1, 31], [2, 37], [3, 41]]) {
    const rock = fractal(128, seed);
    await save(`${forest}/rock_0${i}.png`, 128, 3, (x, y) => tint(0.3 + 0.8 * rock[y * 128 + x], [120 + i * 10, 120, 115]));
  }
  const height = fractal(256, 53);
  await save(`${forest}/ground_n.png`, 256, 3, (x, y) => {
    const h = (dx, dy) => height[((y + dy + 256) % 256) * 256 + ((x + dx + 256) % 256)];
    const nx = (h(-1, 0) - h(1, 0)) * 8;
    const ny = (h(0, -1) - h(0, 1)) * 8;
    const length = Math.hypot(nx, ny, 1);
    return [((nx / length) * 0.5 + 0.5) * 255, ((ny / length) * 0.5 + 0.5) * 255, ((1 / length) * 0.5 + 0.5) * 255];
  });
  const grass = fractal(512, 61);
  await save(`${forest}/grass.png`, 512, 3, (x, y) => tint(0.5 + 0.6 * grass[y * 512 + x], [70, 130, 40]));
  const sand = fractal(256, 71);
  await save(`${desert}/sand.png`, 256, 3, (x, y) => {
    const dune = 0.75 + 0.25 * Math.sin((y / 256) * Math.PI * 6 + sand[y * 256 + x] * 4);
    return tint(dune * (0.7 + 0.4 * sand[y * 256 + x]), [230, 200, 140]);
  });
  const cactus = fractal(128, 79);
  await save(`${desert}/cactus.png`, 128, 3, (x, y) => tint(0.5 + 0.6 * cactus[y * 128 + x], [60, 120, 70]));
}

await main();
