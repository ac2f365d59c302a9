/**
 * Texture cook benchmark. Run: `npx tsx bench/texture.bench.ts` or, after `npm run build`,
 * `node dist/bench/texture.bench.js [size] [count]`.
 *
 * 1. Overhead: one BC7 cook through the rule (harness context, in memory) against the same sharp
 *    calls and the same bc7enc invocations made directly. Goal ≤ 1.10×.
 * 2. Throughput: N textures cooked with 1 and with 2 cooks in flight. Encoders run one thread
 *    each, so 2 in flight should approach 2× on 2 cores.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bc7encCodec } from '../rules/texture/bc7enc-codec.js';
import { loadSharp } from '../rules/texture/decode-image.js';
import { writeKtx2 } from '../rules/texture/ktx2-writer.js';
import { buildMipChain } from '../rules/texture/mip-chain.js';
import { textureRule } from '../rules/texture/index.js';
import { vkFormatByName } from '../rules/texture/vk-formats.js';
import { runRule } from '../test/support/rule-harness.js';

const SIZE = Number(process.argv[2] ?? 512);
const COUNT = Number(process.argv[3] ?? 8);
// Run from the repository root; the corpus sits next to it.
const SOURCE = join(process.cwd(), '../shared/corpus/textures/png/kodim23.png');

async function sourceImage(): Promise<Uint8Array> {
  const sharp = await loadSharp();
  try {
    return new Uint8Array(await sharp(await readFile(SOURCE)).resize(SIZE, SIZE, { fit: 'fill' }).png().toBuffer());
  } catch {
    // No corpus: a deterministic gradient with noise stands in.
    const data = Buffer.alloc(SIZE * SIZE * 4);
    for (let i = 0; i < SIZE * SIZE; i++) data.set([(i * 7) & 255, (i >> 3) & 255, (i * 13) & 255, 255], i * 4);
    return new Uint8Array(await sharp(data, { raw: { width: SIZE, height: SIZE, channels: 4 } }).png().toBuffer());
  }
}

async function direct(bytes: Uint8Array): Promise<void> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(bytes).toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const mips = await buildMipChain({ data, width: info.width, height: info.height }, info.width, info.height, { linearLight: true, normalMap: false, kernel: 'lanczos3', mips: true });
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-direct-'));
  const codec = bc7encCodec();
  const levels = [];
  for (const [i, image] of mips.entries()) levels.push((await codec.encode({ image, format: 'bc7', srgb: true, astcBlock: '6x6', effort: 'fast', dir, decode: i === 0 })).blocks);
  await writeKtx2(vkFormatByName('BC7_SRGB'), info, levels, { writer: 'bench' });
  await rm(dir, { recursive: true, force: true });
}

async function time(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function main(): Promise<void> {
  const bytes = await sourceImage();
  const rule = textureRule();
  // The rule harness: the engine's ActionContext over memory, so the overhead measured is the build's.
  const cookOne = (name: string) =>
    runRule(rule, {
      label: `//bench:${name}`,
      files: { [`bench/${name}.png`]: bytes },
      srcs: [`bench/${name}.png`],
      platform: { name: 'desktop', settings: { format: 'bc7', encoder: 'native', max_size: 4096, effort: 'fast' } },
    });
  await cookOne('warmup');
  await direct(bytes);
  const ruleMs = await time(() => cookOne('one'));
  const directMs = await time(() => direct(bytes));
  console.log(`texture ${SIZE}² BC7 (fast): rule ${ruleMs.toFixed(0)} ms, direct sharp+bc7enc ${directMs.toFixed(0)} ms, overhead ${(ruleMs / directMs).toFixed(2)}× (goal ≤ 1.10×)`);

  for (const inFlight of [1, 2]) {
    const queue = Array.from({ length: COUNT }, (_, i) => `t${i}`);
    const t = performance.now();
    await Promise.all(Array.from({ length: inFlight }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await cookOne(next);
    }));
    const seconds = (performance.now() - t) / 1000;
    console.log(`${COUNT} textures, ${inFlight} in flight: ${(COUNT / seconds).toFixed(2)} textures/s`);
  }
}

await main();
