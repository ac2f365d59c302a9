/**
 * Encoders: wasm (Basis Universal 2.x from ktx2-encoder, kiln's default) against the native
 * executables (`encoder: native`), per format and size: encode time of one level and its PSNR,
 * on one thread, then throughput with every core busy (one worker thread per core, each with its
 * own wasm module or its own native processes). Run: `node dist/bench/encoders.bench.js`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { BasisEncoder, BlockEncoder, BlockFormat } from '../rules/texture/codecs.js';
import { loadSharp, type RgbaImage } from '../rules/texture/decode-image.js';
import { nativeTextureCodecs, wasmTextureCodecs } from '../rules/texture/default-codecs.js';
import { psnr } from '../rules/texture/psnr.js';

type Kind = 'wasm' | 'native';
type Format = 'bc7' | 'astc 4x4' | 'astc 6x6' | 'basis uastc';
const FORMATS: Format[] = ['bc7', 'astc 4x4', 'astc 6x6', 'basis uastc'];
const SIZES = (process.env.KILN_BENCH_ENCODER_SIZES ?? '256,1024,2048').split(',').map(Number);
const POOL_SIZE = Number(process.env.KILN_BENCH_ENCODER_POOL_SIZE ?? 1024);
const SOURCE = join(process.cwd(), '../shared/corpus/textures/png/kodim23.png');

async function image(size: number): Promise<RgbaImage> {
  const sharp = await loadSharp();
  let input: Buffer;
  try {
    input = await readFile(SOURCE);
  } catch {
    const data = Buffer.alloc(256 * 256 * 4);
    for (let i = 0; i < 256 * 256; i++) data.set([(i * 7) & 255, (i >> 3) & 255, (i * 13) & 255, 255], i * 4);
    input = await sharp(data, { raw: { width: 256, height: 256, channels: 4 } }).png().toBuffer();
  }
  const { data, info } = await sharp(input).resize(size, size, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** One encode; PSNR (RGB) from the encoder's decoded blocks or its own report. */
async function encodeOnce(kind: Kind, format: Format, img: RgbaImage, dir: string, decode: boolean): Promise<number | undefined> {
  const codecs = kind === 'wasm' ? wasmTextureCodecs() : nativeTextureCodecs();
  if (format === 'basis uastc') {
    const codec: BasisEncoder = codecs.basis;
    const out = await codec.encode({ image: img, mode: 'uastc', srgb: true, normalMap: false, mips: false, effort: 'normal', dir });
    return out.psnr;
  }
  const block: BlockFormat = format === 'bc7' ? 'bc7' : 'astc';
  const codec: BlockEncoder = format === 'bc7' ? codecs.bc : codecs.astc;
  const astcBlock = format === 'astc 6x6' ? '6x6' : '4x4';
  const out = await codec.encode({ image: img, format: block, srgb: true, astcBlock, effort: 'normal', dir, decode });
  return out.decoded ? psnr(img, out.decoded, [0, 1, 2]) : undefined;
}

async function timed(fn: () => Promise<number | undefined>): Promise<{ ms: number; psnr: number | undefined }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, psnr: value };
}

// In a worker: encode `count` images of one kind/format/size, report wall time.
if (!isMainThread && (workerData as { encodersBench?: boolean })?.encodersBench) {
  const job = workerData as { kind: Kind; format: Format; size: number; count: number };
  const img = await image(job.size);
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-enc-'));
  await encodeOnce(job.kind, job.format, await image(64), dir, false); // module start-up / first spawn outside the timing
  parentPort!.postMessage('ready');
  await new Promise((go) => parentPort!.once('message', go));
  const t = performance.now();
  for (let i = 0; i < job.count; i++) await encodeOnce(job.kind, job.format, img, dir, false);
  parentPort!.postMessage(performance.now() - t);
  await rm(dir, { recursive: true, force: true });
}

/** Images per second with `workers` threads, each encoding `per` images. */
async function pool(kind: Kind, format: Format, size: number, workers: number, per: number): Promise<number> {
  const threads = Array.from({ length: workers }, () => new Worker(fileURLToPath(import.meta.url), { workerData: { encodersBench: true, kind, format, size, count: per } }));
  await Promise.all(threads.map((w) => new Promise((ready) => w.once('message', ready))));
  const t = performance.now();
  const done = threads.map((w) => new Promise((finish) => w.once('message', finish)));
  for (const w of threads) w.postMessage('go');
  await Promise.all(done);
  const seconds = (performance.now() - t) / 1000;
  await Promise.all(threads.map((w) => w.terminate()));
  return (workers * per) / seconds;
}

export async function bench(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-enc-'));
  const lines: string[] = [];
  lines.push('## Encoders: wasm (default) vs native (`encoder: native`)', '');
  lines.push('kodim23 (Kodak, 768×512) resized to each size, one level, sRGB, effort `normal` (BC7: bc7e level 4 in both; ASTC: Basis effort 2 vs astcenc `-medium`; UASTC: level 2 in both). PSNR is RGB over the decoded blocks (UASTC: each encoder\'s own figure). Time of one encode on one thread, after module start-up / first spawn; native includes writing the PNG and spawning the process.', '');
  const start = performance.now();
  const warm = await image(64);
  await encodeOnce('wasm', 'bc7', warm, dir, false);
  const startup = performance.now() - start;
  lines.push(`wasm module start-up (once per thread): ${startup.toFixed(0)} ms`, '');
  lines.push('| format | size | wasm ms | native ms | wasm ÷ native | wasm PSNR dB | native PSNR dB |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const format of FORMATS) {
    for (const size of SIZES) {
      const img = await image(size);
      const wasm = await timed(() => encodeOnce('wasm', format, img, dir, true));
      let native: { ms: number; psnr: number | undefined } | undefined;
      try {
        await encodeOnce('native', format, warm, dir, false);
        native = await timed(() => encodeOnce('native', format, img, dir, true));
      } catch (error) {
        process.stderr.write(`native ${format} unavailable: ${(error as Error).message}\n`);
      }
      const f = (n: number | undefined, d = 0) => (n === undefined ? '—' : n.toFixed(d));
      lines.push(`| ${format} | ${size}² | ${f(wasm.ms)} | ${f(native?.ms)} | ${native ? (wasm.ms / native.ms).toFixed(1) + '×' : '—'} | ${f(wasm.psnr, 2)} | ${f(native?.psnr, 2)} |`);
      process.stderr.write(`${lines.at(-1)}\n`);
    }
  }
  const cores = availableParallelism();
  const per = Number(process.env.KILN_BENCH_ENCODER_PER ?? 2);
  lines.push('', `### Throughput at ${POOL_SIZE}², one worker vs every core (${cores} worker threads), ${per} images per worker`, '');
  lines.push('| format | kind | 1 worker img/s | full pool img/s | speed-up |', '| --- | --- | ---: | ---: | ---: |');
  for (const format of ['bc7', 'astc 6x6'] as Format[]) {
    for (const kind of ['wasm', 'native'] as Kind[]) {
      try {
        const one = await pool(kind, format, POOL_SIZE, 1, per);
        const all = await pool(kind, format, POOL_SIZE, cores, per);
        lines.push(`| ${format} | ${kind} | ${one.toFixed(2)} | ${all.toFixed(2)} | ${(all / one).toFixed(2)}× |`);
        process.stderr.write(`${lines.at(-1)}\n`);
      } catch (error) {
        lines.push(`| ${format} | ${kind} | — | — | ${(error as Error).message} |`);
      }
    }
  }
  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  lines.push('', `Measured with worker_threads directly (the engine's pool runs texture cooks the same way: one module per worker). Load average at the end (1/5/15 min): ${load} on ${cores} cores — a full pool only helps when the cores are free.`);
  await rm(dir, { recursive: true, force: true });
  return `${lines.join('\n')}\n`;
}

if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) console.log(await bench());
