/**
 * Model cook benchmark: kiln's `model` rule against `gltf-transform optimize` (the glTF-Transform
 * CLI, same library underneath) on the same corpus models, side by side in one run.
 * Run from the repository root: `npx tsx bench/model.bench.ts` or, after `npm run build`,
 * `node dist/bench/model.bench.js [repeats]`.
 *
 * Comparable options: meshopt compression, quantization, resampling, weld/dedup, no texture
 * compression, no simplification of LOD0, no flattening/joining/instancing/palettes (kiln keeps
 * the scene graph so animations and node names survive). kiln's cook also runs the Khronos
 * validator on its output and, in the second kiln column, builds two extra LODs.
 * The CLI is a separate process, so its wall time includes Node's start-up (~0.6 s here, noisy on
 * a shared machine). The time ratio is therefore taken against the same steps `optimize` runs
 * (dedup, weld, resample, prune, meshopt medium) called in-process through the library; the
 * CLI's own wall time and output size are printed next to it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { modelRule } from '../rules/model/index.js';
import { loadModelCodecs } from '../rules/model/codecs.js';
import { runRule } from '../test/support/rule-harness.js';

const REPEATS = Number(process.argv[2] ?? 3);
const ROOT = process.cwd();
const CORPUS = join(ROOT, '../shared/corpus');
const CLI = join(ROOT, 'node_modules/.bin/gltf-transform');
const MODELS = [
  'gltf/Duck/glTF/Duck.gltf',
  'gltf/Fox/glTF/Fox.gltf',
  'gltf/CesiumMan/glTF/CesiumMan.gltf',
  'gltf/CesiumMilkTruck/glTF/CesiumMilkTruck.gltf',
  'gltf/DamagedHelmet/glTF/DamagedHelmet.gltf',
];
const CLI_FLAGS = [
  '--compress', 'meshopt', '--meshopt-level', 'medium', '--texture-compress', 'false', '--simplify', 'false',
  '--flatten', 'false', '--join', 'false', '--instance', 'false', '--palette', 'false', '--sparse', 'false',
];

/** Every file in the model's folder (its .bin and images are read as discovered inputs), corpus-relative. */
async function modelFiles(src: string): Promise<Record<string, Uint8Array>> {
  const dir = dirname(src);
  const files: Record<string, Uint8Array> = {};
  for (const entry of await readdir(join(CORPUS, dir), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = relative(CORPUS, join(entry.parentPath, entry.name)).split(sep).join('/');
    files[rel] = new Uint8Array(await readFile(join(CORPUS, rel)));
  }
  return files;
}

/** One cook through the rule harness (the engine's ActionContext over memory); output sizes into `outputs`. */
async function cook(rule: ReturnType<typeof modelRule>, src: string, files: Record<string, Uint8Array>, attrs: Record<string, unknown>, outputs: Map<string, number>): Promise<void> {
  const result = await runRule(rule, { label: '//bench:model', files, srcs: [src], attrs, platform: { name: 'web', settings: { meshopt: true } } });
  for (const out of result.outputs) outputs.set(out.name, result.bytes(out.name).byteLength);
}

async function median(times: number, run: () => Promise<void> | void): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

/** What `gltf-transform optimize` runs with the flags above, as library calls: read, transform, write. */
async function optimizeInProcess(src: string): Promise<Uint8Array> {
  const { core, functions, extensions, encoder, decoder } = await loadModelCodecs();
  const io = new core.NodeIO()
    .registerExtensions(extensions.ALL_EXTENSIONS)
    .registerDependencies({ 'meshopt.encoder': encoder, 'meshopt.decoder': decoder });
  const doc = await io.read(join(CORPUS, src));
  doc.setLogger(new core.Logger(core.Logger.Verbosity.ERROR));
  await doc.transform(
    functions.dedup(),
    functions.weld(),
    functions.resample(),
    functions.prune({ keepSolidTextures: false }),
    functions.meshopt({ encoder, level: 'medium' }),
  );
  return io.writeBinary(doc);
}

async function main(): Promise<void> {
  const rule = modelRule(await loadModelCodecs());
  const dir = await mkdtemp(join(tmpdir(), 'kiln-model-bench-'));
  const startup = await median(REPEATS, () => void execFileSync(CLI, ['--version'], { stdio: 'ignore' }));
  console.log(`gltf-transform CLI start-up alone (--version): ${startup.toFixed(0)} ms; medians of ${REPEATS} runs after one warm-up\n`);
  console.log('model                | kiln LOD0 ms | kiln 3 LODs ms | optimize in-process ms | time ratio | CLI wall ms | kiln bytes | CLI bytes | size ratio');
  console.log('---------------------|-------------:|---------------:|-----------------------:|-----------:|------------:|-----------:|----------:|-----------:');
  let sumKiln = 0;
  let sumCli = 0;
  let sumKilnBytes = 0;
  let sumCliBytes = 0;
  for (const src of MODELS) {
    const outputs = new Map<string, number>();
    const files = await modelFiles(src);
    await cook(rule, src, files, { lods: [1], meshopt: true }, outputs);
    const one = await median(REPEATS, () => cook(rule, src, files, { lods: [1], meshopt: true }, outputs));
    const kilnBytes = outputs.get('model.glb')!;
    const three = await median(REPEATS, () => cook(rule, src, files, { lods: [1, 0.5, 0.25], meshopt: true }, new Map()));
    const out = join(dir, 'out.glb');
    const cliTotal = await median(REPEATS, () => void execFileSync(CLI, ['optimize', join(CORPUS, src), out, ...CLI_FLAGS], { stdio: 'ignore' }));
    const cliBytes = (await stat(out)).size;
    await optimizeInProcess(src);
    const cli = await median(REPEATS, () => optimizeInProcess(src).then(() => undefined));
    sumKiln += one;
    sumCli += cli;
    sumKilnBytes += kilnBytes;
    sumCliBytes += cliBytes;
    const name = src.split('/')[1]!.padEnd(20);
    console.log(
      `${name} | ${one.toFixed(0).padStart(12)} | ${three.toFixed(0).padStart(14)} | ${cli.toFixed(0).padStart(22)} | ` +
        `${(one / cli).toFixed(2).padStart(9)}× | ${cliTotal.toFixed(0).padStart(11)} | ${String(kilnBytes).padStart(10)} | ${String(cliBytes).padStart(9)} | ${(kilnBytes / cliBytes).toFixed(3).padStart(9)}×`,
    );
  }
  console.log(`\ntotal: time ratio kiln LOD0 / optimize in-process ${(sumKiln / sumCli).toFixed(2)}× (goal ≤ 1), size ratio kiln / CLI ${(sumKilnBytes / sumCliBytes).toFixed(3)}× (goal ≤ 1; kiln adds MikkTSpace tangents where normal maps lack them)`);
  await rm(dir, { recursive: true, force: true });
}

await main();
