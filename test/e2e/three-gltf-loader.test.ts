/**
 * Proof that cooked models are standard glTF: every cooked model (every LOD) and animation of every
 * platform in the root assets.yaml loads in headless Chromium with stock three.js r187 GLTFLoader +
 * KTX2Loader + MeshoptDecoder (no kiln code, served from node_modules), renders, and LOD0 matches a
 * render of the source glTF; glTF-Transform's CLI and the Khronos validator accept every file.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import validator from 'gltf-validator';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-kiln.js';
import { browserSkipReason, launchChromium, threePage } from './support/browser.js';
import { browserTestLabels, type CookedSample, cookSample, declOf, outputFile } from './support/cooked-platforms.js';
import { psnr, type Rgba, ssim } from './support/image-compare.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

const skip = browserSkipReason('stock three.js model test');
if (skip) console.log(skip);

/** Floors for LOD0 against the source render (masked PSNR over the model's pixels, SSIM over the frame). */
const LOD0_PSNR_DB = 26;
const LOD0_SSIM = 0.95;
/** Coarser LODs are simplified: they must still look like the model. */
const LOD_SSIM = 0.85;

let sample: CookedSample;
let server: StaticServer;
let browser: Browser;
let page: Page;

interface Render {
  width: number;
  height: number;
  pixels: string;
  frame: { center: number[]; radius: number };
  maps: { compressed: boolean; width: number }[];
  meshes: number;
  animations: number;
}

const rgba = (r: Render): Rgba => ({ width: r.width, height: r.height, data: new Uint8Array(Buffer.from(r.pixels, 'base64')) });
const BACKGROUND = [0x20, 0x20, 0x20];
const isBackground = (image: Rgba, i: number) => BACKGROUND.every((v, c) => Math.abs(image.data[i * 4 + c]! - v) <= 2);

beforeAll(async () => {
  if (skip) return;
  sample = await cookSample(browserTestLabels());
  const roots: Record<string, string> = {
    '/three/': join(REPO_ROOT, 'node_modules/three'),
    '/support/': join(REPO_ROOT, 'test/e2e/support'),
    '/sample/': sample.root,
  };
  for (const p of sample.platforms) roots[`/out/${p.name}/`] = p.out;
  server = await startStaticServer(roots, { '/index.html': threePage('/support/three-page.js') });
  browser = await launchChromium();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => (window as unknown as { pageReady?: boolean }).pageReady === true, undefined, { timeout: 30_000 }).catch((e: Error) => {
    throw new Error(`page did not start: ${errors.join('; ') || e.message}`);
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const render = (url: string, frame?: Render['frame']): Promise<Render> =>
  page.evaluate(([u, f]) => (window as unknown as { renderModel: (u: string, f?: unknown) => Promise<Render> }).renderModel(u, f), [url, frame] as const) as Promise<Render>;

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero exit). */
function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

const urlOf = (path: string) => `/sample/${relative(sample.root, path).split('\\').join('/')}`;

describe.skipIf(!!skip)('stock clients load every cooked model of every platform', () => {
  it('every platform of the root assets.yaml cooks', () => {
    expect(sample.failed.map((f) => f.error)).toEqual([]);
  });

  it('three.js GLTFLoader + KTX2Loader + MeshoptDecoder load and render every LOD; LOD0 matches the source glTF', async () => {
    const figures: string[] = [];
    const failures: string[] = [];
    for (const platform of sample.platforms) {
      for (const target of platform.summary.targets.filter((t) => t.rule === 'model')) {
        const { decl, pkgDir } = declOf(sample.root, target.label);
        const source = await render(urlOf(join(pkgDir, decl.srcs![0]!)));
        const reference = rgba(source);
        const lods = target.outputs.filter((o) => o.name.endsWith('.glb'));
        expect(lods.length, target.label).toBeGreaterThan(0);
        for (const [i, output] of lods.entries()) {
          const file = outputFile(platform, target.label, output.name);
          const cooked = await render(`/out/${platform.name}/${relative(platform.out, file).split('\\').join('/')}`, source.frame);
          const image = rgba(cooked);
          const mask = (p: number) => !isBackground(reference, p) || !isBackground(image, p);
          const db = psnr(reference, image, [0, 1, 2], mask);
          const s = ssim(reference, image);
          const textured = cooked.maps.length;
          figures.push(`${platform.name} ${output.name}: ${db.toFixed(1)} dB, SSIM ${s.toFixed(3)}, ${textured} map(s)${cooked.maps.some((m) => m.compressed) ? ' (KTX2)' : ''}`);
          if (cooked.meshes === 0) failures.push(`${platform.name} ${output.name}: no mesh`);
          if (source.maps.length > 0 && textured === 0) failures.push(`${platform.name} ${output.name}: untextured (the source is textured)`);
          if (i === 0 && (db < LOD0_PSNR_DB || s < LOD0_SSIM)) failures.push(`${platform.name} ${output.name}: ${db.toFixed(1)} dB / SSIM ${s.toFixed(3)} below ${LOD0_PSNR_DB} dB / ${LOD0_SSIM}`);
          if (i > 0 && s < LOD_SSIM) failures.push(`${platform.name} ${output.name}: SSIM ${s.toFixed(3)} below ${LOD_SSIM}`);
        }
      }
    }
    console.log(`three.js renders vs source glTF:\n  ${figures.join('\n  ')}`);
    expect(failures).toEqual([]);
    expect(figures.length).toBeGreaterThanOrEqual(sample.platforms.length * 4);
  }, 300_000);

  it('three.js loads every cooked animation clip file', async () => {
    for (const platform of sample.platforms) {
      for (const target of platform.summary.targets.filter((t) => t.rule === 'animation')) {
        for (const output of target.outputs) {
          const file = outputFile(platform, target.label, output.name);
          const loaded = await render(`/out/${platform.name}/${relative(platform.out, file).split('\\').join('/')}`);
          expect(loaded.animations, `${platform.name} ${output.name}`).toBeGreaterThan(0);
        }
      }
    }
  }, 120_000);

  it('gltf-transform inspect and the Khronos validator accept every cooked GLB', async () => {
    const cli = join(REPO_ROOT, 'node_modules/.bin/gltf-transform');
    const failures: string[] = [];
    const seen = new Set<string>();
    const jobs: { platform: string; name: string; file: string }[] = [];
    for (const platform of sample.platforms) {
      for (const target of platform.summary.targets.filter((t) => t.rule === 'model' || t.rule === 'animation')) {
        for (const output of target.outputs.filter((o) => o.name.endsWith('.glb'))) {
          // Platforms with the same settings cook the same bytes: each distinct file is checked once.
          if (seen.has(output.digest)) continue;
          seen.add(output.digest);
          jobs.push({ platform: platform.name, name: output.name, file: outputFile(platform, target.label, output.name) });
        }
      }
    }
    const check = async ({ platform, name, file }: (typeof jobs)[number]) => {
      const inspect = await run(cli, ['inspect', file]);
      if (inspect.code !== 0) failures.push(`${platform} ${name}: gltf-transform inspect exit ${inspect.code}: ${inspect.output.slice(-400)}`);
      const report = await validator.validateBytes(new Uint8Array(readFileSync(file)), { uri: name, writeTimestamp: false, maxIssues: 20 });
      const errors = report.issues.messages.filter((m: { severity: number }) => m.severity === 0);
      if (errors.length > 0) failures.push(`${platform} ${name}: validator: ${errors.map((m: { code: string; message: string }) => `${m.code} ${m.message}`).join('; ')}`);
    };
    // The CLI's start-up (~0.3 s) dominates: a few at a time.
    const queue = [...jobs];
    await Promise.all(Array.from({ length: 3 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await check(job);
    }));
    expect(failures).toEqual([]);
    expect(jobs.length).toBeGreaterThan(0);
  }, 300_000);
});
