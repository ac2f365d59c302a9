import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { read } from 'ktx-parse';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { cook, corpusDir, hasCorpus, PLATFORMS } from './helpers.js';

if (!hasCorpus) console.log(`texture corpus tests skipped: ${corpusDir} not found`);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Images kiln re-encodes get the platform's format; pre-compressed ones pass through or are refused for the platform. */
const EXPECTED_VK: Record<string, number[]> = { desktop: [146, 145, 141, 139], mobile: [166, 165], 'mobile-etc2': [148, 147, 152, 151, 155, 153], web: [0] };

describe.skipIf(!hasCorpus)('texture rule on the shared corpus', () => {
  const textures = hasCorpus ? files(join(corpusDir, 'textures')).sort() : [];
  for (const [platform, settings] of Object.entries(PLATFORMS)) {
    it(`cooks every corpus texture for ${platform}, or refuses it with a clear RuleError`, async () => {
      const summary: string[] = [];
      for (const path of textures) {
        const rel = relative(corpusDir, path);
        try {
          const result = await cook(rel, new Uint8Array(readFileSync(path)), { ...settings, pot: 'ignore' }, {}, platform);
          const out = result.outputs[0]!;
          const container = read(result.bytes(out.name));
          expect(container.levels.length, rel).toBe(out.meta['mipCount']);
          if (result.stats['passthrough'] !== true) {
            expect(EXPECTED_VK[platform], rel).toContain(container.vkFormat);
            const w = Number(out.meta['width']), h = Number(out.meta['height']);
            expect(container.levels.length, rel).toBe(Math.floor(Math.log2(Math.max(w, h))) + 1);
          }
          summary.push(`${rel}: ${out.meta['format']}`);
        } catch (error) {
          expect(error, `${rel}: ${String(error)}`).toBeInstanceOf(RuleError);
          // Only inputs kiln cannot re-encode for this platform or cannot decode may fail.
          expect((error as Error).message, rel).toMatch(/unsupported format for platform|Unsupported JPEG data precision|KTXswizzle|cannot decode/);
          summary.push(`${rel}: refused (${(error as Error).message.slice(0, 60)})`);
        }
      }
      console.log(`${platform}:\n  ${summary.join("\n  ")}`);
      expect(summary.filter((s) => !s.includes('refused')).length).toBeGreaterThan(textures.length / 2);
    });
  }

  it('cooks the PngSuite good files and fails every x* file with a RuleError', async () => {
    const suite = join(corpusDir, 'pngsuite');
    for (const name of readdirSync(suite).filter((n) => n.endsWith('.png')).sort()) {
      const bytes = new Uint8Array(readFileSync(join(suite, name)));
      const run = cook(`suite/${name}`, bytes, { format: 'rgba8', pot: 'ignore', max_size: 32 });
      if (name.startsWith('x')) await expect(run, name).rejects.toBeInstanceOf(RuleError);
      else expect((await run).outputs.length, name).toBe(1);
    }
  });

  it('never crashes on the broken corpus: each file cooks or fails with a RuleError', async () => {
    for (const kind of ['png', 'jpg', 'dds', 'ktx2']) {
      for (const path of files(join(corpusDir, 'broken', kind))) {
        const rel = relative(corpusDir, path);
        try {
          await cook(rel, new Uint8Array(readFileSync(path)), { ...PLATFORMS.desktop, pot: 'ignore' });
        } catch (error) {
          expect(error, `${rel}: ${String(error)}`).toBeInstanceOf(RuleError);
        }
      }
    }
  });
});
