import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { read } from 'ktx-parse';
import sharp from 'sharp';
import { textureRule } from '../../../rules/texture/index.js';
import { runRule, type HarnessResult } from '../../support/rule-harness.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const corpusDir = resolve(repoRoot, '../shared/corpus');
export const hasCorpus = existsSync(corpusDir);

export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(repoRoot, 'test/fixtures/texture', name)));

export const rule = textureRule();

export const PLATFORMS = {
  desktop: { format: 'bc7', max_size: 64, effort: 'fast' },
  mobile: { format: 'astc', max_size: 64, effort: 'fast', astc_block: '6x6' },
  'mobile-etc2': { format: 'etc2', encoder: 'native', max_size: 64, effort: 'fast' },
  web: { format: 'basis', max_size: 64, effort: 'fast', basis_mode: 'uastc' },
} as const;

export async function cook(
  path: string,
  bytes: Uint8Array,
  settings: Record<string, unknown>,
  attrs: Record<string, unknown> = {},
  platform = 'desktop',
): Promise<HarnessResult> {
  const name = path.split('/').pop()!.replace(/\.[^.]+$/, '');
  return runRule(rule, { label: `//tex:${name}`, files: { [path]: bytes }, srcs: [path], attrs, platform: { name: platform, settings } });
}

export function mainKtx2(result: HarnessResult) {
  const out = result.outputs[0]!;
  return { meta: out.meta as Record<string, unknown>, parts: out.parts, container: read(result.bytes(out.name)), bytes: result.bytes(out.name) };
}

/** A raw RGBA image as a PNG. */
export async function pngOf(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Promise<Uint8Array> {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return new Uint8Array(await sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer());
}
