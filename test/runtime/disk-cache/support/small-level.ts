/**
 * A small generated workspace cooked by the real CLI (dist/src/cli/main.js): `//level:bundle`
 * with three rgba8 textures (256² unless asked otherwise) (streamed mip by mip) and a critical layout data file. A content
 * update rewrites one texture's PNG and cooks again (incrementally: that texture and the bundle).
 */
import { execFile } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { repoRoot } from './repo-root.js';

const repo = repoRoot();
export const cli = join(repo, 'dist/src/cli/main.js');

export const TEXTURES = ['ground', 'wall', 'sky'] as const;
export type TextureName = (typeof TEXTURES)[number];
export const label = (name: string) => `//level:${name}`;

export interface SmallLevel {
  ws: string;
  /** kiln-out: the bundle is `level/bundle.tar`, the catalog `level/bundle.catalog.json`. */
  out: string;
  /** Repaints one texture with another seed and cooks the bundle again. */
  update(texture: TextureName, seed: number): Promise<void>;
}

export async function cliBuilt(): Promise<boolean> {
  return access(cli).then(
    () => true,
    () => false,
  );
}

async function paint(file: string, seed: number, size: number): Promise<void> {
  const pixels = Buffer.alloc(size * size * 4);
  let state = (seed * 2654435761) >>> 0;
  for (let i = 0; i < pixels.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    pixels[i] = state >>> 24;
  }
  await sharp(pixels, { raw: { width: size, height: size, channels: 4 } }).png().toFile(file);
}

async function cook(ws: string): Promise<void> {
  await promisify(execFile)(process.execPath, [cli, 'build', '//level:bundle'], { cwd: ws, timeout: 120_000, env: { ...process.env, CI: 'true' } });
}

/** `size`: texture width and height (default 256; benchmarks use larger). */
export async function smallLevel(tmp: string, size = 256): Promise<SmallLevel> {
  const ws = join(tmp, 'ws');
  const pkg = join(ws, 'game/level');
  await mkdir(join(pkg, 'textures'), { recursive: true });
  await writeFile(
    join(ws, 'assets.yaml'),
    ['workspace:', '  name: diskcache-test', '  packages: game', '  cache: .kiln', '  out: kiln-out', 'default_platform: desktop', 'platforms:', '  desktop: { texture: { format: rgba8, max_size: 4096 } }', ''].join('\n'),
  );
  await writeFile(
    join(pkg, 'assets.yaml'),
    [
      'targets:',
      '  ground: { rule: texture, srcs: [textures/ground.png], format: rgba8, priority: critical }',
      '  wall: { rule: texture, srcs: [textures/wall.png], format: rgba8 }',
      '  sky: { rule: texture, srcs: [textures/sky.png], format: rgba8, priority: low }',
      '  layout: { rule: data, srcs: [layout.yaml], priority: critical }',
      '  bundle: { rule: bundle, deps: [":layout", ":ground", ":wall", ":sky"] }',
      '',
    ].join('\n'),
  );
  await writeFile(join(pkg, 'layout.yaml'), 'name: disk cache test level\nspawn: [1, 2, 3]\n');
  for (const [i, name] of TEXTURES.entries()) await paint(join(pkg, `textures/${name}.png`), i + 1, size);
  await cook(ws);
  return {
    ws,
    out: join(ws, 'kiln-out', 'desktop'),
    async update(texture, seed) {
      await paint(join(pkg, `textures/${texture}.png`), seed, size);
      await cook(ws);
    },
  };
}
