/**
 * Proof that cooked textures are usable by a real GPU API: every cooked texture of every platform
 * in the root assets.yaml is uploaded with WebGL2 in headless Chromium (SwiftShader exposes BPTC,
 * RGTC, S3TC, ASTC and ETC2; Basis is transcoded to BC7 with three's Basis transcoder, as three's
 * KTX2Loader does here), read back through a framebuffer and compared with the source image.
 * WebGL refuses BPTC/RGTC/S3TC uploads whose level 0 is not a multiple of 4: block_align is why
 * the 211×211-style textures upload at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { read } from 'ktx-parse';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-kiln.js';
import { browserSkipReason, launchChromium, threePage } from './support/browser.js';
import { browserTestLabels, type CookedSample, cookSample, outputFile, textureSource } from './support/cooked-platforms.js';
import { psnr } from './support/image-compare.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

const skip = browserSkipReason('WebGL2 texture upload test');
if (skip) console.log(skip);

/**
 * PSNR floors (dB) of level 0 against the source image, per format family: a few dB under the
 * lowest figure measured on the sample (BC7 43.1 dB, BC5 55.5, ASTC 6×6 34.5, ASTC 4×4 42.8,
 * ETC2 34.7 (EtcTool), EAC RG11 54.7, Basis UASTC→BC7 42.6), so an encoder regression fails
 * while machine noise does not. A texture that renders black or is read back wrongly scores
 * under 10 dB.
 */
function floorFor(vkFormat: number): { family: string; db: number; channels: number[] } {
  if (vkFormat === 37 || vkFormat === 43) return { family: 'rgba8', db: 40, channels: [0, 1, 2] };
  if (vkFormat === 0) return { family: 'basis→bc7', db: 36, channels: [0, 1, 2] };
  if (vkFormat === 145 || vkFormat === 146) return { family: 'bc7', db: 38, channels: [0, 1, 2] };
  if (vkFormat === 139) return { family: 'bc4', db: 34, channels: [0] };
  if (vkFormat === 141) return { family: 'bc5', db: 40, channels: [0, 1] };
  if (vkFormat === 153) return { family: 'eac-r11', db: 34, channels: [0] };
  if (vkFormat === 155) return { family: 'eac-rg11', db: 40, channels: [0, 1] };
  if (vkFormat >= 147 && vkFormat <= 152) return { family: 'etc2', db: 31, channels: [0, 1, 2] };
  if (vkFormat >= 157 && vkFormat <= 184) return { family: 'astc', db: 30, channels: [0, 1, 2] };
  return { family: `vk${vkFormat}`, db: 30, channels: [0, 1, 2] };
}

let sample: CookedSample;
let server: StaticServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (skip) return;
  sample = await cookSample(browserTestLabels());
  server = await startStaticServer({ '/three/': join(REPO_ROOT, 'node_modules/three'), '/support/': join(REPO_ROOT, 'test/e2e/support') }, { '/index.html': threePage('/support/three-page.js') });
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

interface Upload {
  error?: string;
  format?: string;
  pixels?: string;
}

describe.skipIf(!!skip)('WebGL2 uploads every cooked texture of every platform', () => {
  it('every platform of the root assets.yaml cooks', () => {
    expect(sample.failed.map((f) => f.error)).toEqual([]);
  });

  it('SwiftShader exposes the block formats the platforms use', async () => {
    const exts = await page.evaluate(() => (window as unknown as { textureExtensions: () => Record<string, boolean> }).textureExtensions());
    expect(exts).toMatchObject({ bptc: true, rgtc: true, astc: true, etc: true, s3tc: true });
  });

  it('uploads level 0, reads it back and matches the source image above the floor of its format', async () => {
    const figures: string[] = [];
    const failures: string[] = [];
    for (const platform of sample.platforms) {
      for (const target of platform.summary.targets.filter((t) => t.rule === 'texture')) {
        const output = target.outputs[0]!;
        const file = outputFile(platform, target.label, output.name);
        if (!output.name.endsWith('.ktx2')) {
          failures.push(`${platform.name} ${target.label}: ${output.name} is not KTX2 (this test reads KTX2)`);
          continue;
        }
        const bytes = new Uint8Array(readFileSync(file));
        const container = read(bytes);
        const width = container.pixelWidth;
        const height = container.pixelHeight;
        const srgb = container.dataFormatDescriptor[0]?.transferFunction === 2;
        const floor = floorFor(container.vkFormat);
        // Basis goes whole to the transcoder; other formats upload level 0 as stored (no supercompression).
        const level0 = container.vkFormat === 0 ? bytes : container.levels[0]!.levelData;
        if (container.vkFormat !== 0 && container.supercompressionScheme !== 0) {
          failures.push(`${platform.name} ${target.label}: supercompressed (${container.supercompressionScheme}) non-Basis KTX2`);
          continue;
        }
        const result = (await page.evaluate((job) => (window as unknown as { uploadTexture: (j: unknown) => Promise<Upload> }).uploadTexture(job), {
          vkFormat: container.vkFormat,
          width,
          height,
          level0: Buffer.from(level0).toString('base64'),
          srgb,
        })) as Upload;
        if (result.error) {
          failures.push(`${platform.name} ${target.label} (${floor.family} ${width}×${height}): ${result.error}`);
          continue;
        }
        const source = await sharp(readFileSync(textureSource(sample, platform, target.label))).ensureAlpha().resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
        const reference = { width, height, data: new Uint8Array(source) };
        const got = { width, height, data: new Uint8Array(Buffer.from(result.pixels!, 'base64')) };
        // Fully transparent texels carry no colour worth comparing.
        const db = psnr(reference, got, floor.channels, (i) => reference.data[i * 4 + 3]! >= 16);
        figures.push(`${platform.name} ${target.label}: ${floor.family} ${width}×${height} ${db.toFixed(1)} dB (floor ${floor.db})`);
        if (!(db >= floor.db)) failures.push(`${platform.name} ${target.label}: ${floor.family} ${db.toFixed(1)} dB below ${floor.db} dB`);
      }
    }
    console.log(`WebGL2 level-0 read-back vs source:\n  ${figures.join('\n  ')}`);
    expect(failures).toEqual([]);
    expect(figures.length).toBeGreaterThanOrEqual(sample.platforms.length * 5);
  }, 300_000);
});
