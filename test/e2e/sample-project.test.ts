import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySample } from '../support/sample-copy.js';
import { executedLabels, kiln } from '../support/run-kiln.js';

const BUNDLE = '//levels/forest:bundle';

describe('kiln build //levels/forest:bundle on the sample project', () => {
  let sample: ReturnType<typeof copySample>;
  beforeAll(() => {
    sample = copySample();
  });
  afterAll(() => sample.cleanup());

  it('cooks the level, then does no work on a no-op build or after a touch', () => {
    const first = kiln(sample.root, ['build', BUNDLE]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.summary?.executed).toBeGreaterThan(10);
    expect(first.summary?.failed).toBe(0);
    const listing = readFileSync(join(sample.root, 'kiln-out/desktop/levels/forest/bundle.tar'));
    expect(listing.subarray(0, 15).toString()).toBe('kiln-index.json');

    const noop = kiln(sample.root, ['build', BUNDLE]);
    expect(noop.summary?.executed).toBe(0);
    expect(noop.summary?.cached).toBe(first.summary?.executed);

    const bark = join(sample.root, 'sample-project/levels/forest/textures/bark.png');
    const later = new Date(Date.now() + 3000);
    utimesSync(bark, later, later);
    const touched = kiln(sample.root, ['build', BUNDLE]);
    expect(touched.summary?.executed).toBe(0);
    expect(touched.summary?.filesHashed).toBe(1);
  });

  it('re-cooks only the edited texture and the bundle', async () => {
    const bark = join(sample.root, 'sample-project/levels/forest/textures/bark.png');
    const edited = await sharp(readFileSync(bark)).modulate({ brightness: 1.2 }).png().toBuffer();
    writeFileSync(bark, edited);
    const run = kiln(sample.root, ['build', BUNDLE, '--explain']);
    expect(run.code).toBe(0);
    expect(executedLabels(run)).toEqual(['//levels/forest:bark', '//levels/forest:bundle']);
    expect(run.stdout).toContain('because source changed: sample-project/levels/forest/textures/bark.png');
  });

  it('re-cooks a target whose attribute was edited in YAML, and what depends on it', () => {
    const file = join(sample.root, 'sample-project/levels/forest/assets.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('leaves: { rule: texture, srcs: [textures/leaves.png] }', 'leaves: { rule: texture, srcs: [textures/leaves.png], max_size: 64 }'));
    const run = kiln(sample.root, ['build', BUNDLE]);
    expect(run.code).toBe(0);
    expect(executedLabels(run)).toEqual(['//levels/forest:bundle', '//levels/forest:leaves']);
    const leaves = run.summary?.targets.find((t) => t.label === '//levels/forest:leaves');
    expect(leaves?.reasons).toEqual(['attribute max_size changed: 2048 → 64']);
  });

  it('gives byte-identical bundles from clean builds in two different folders', () => {
    const other = copySample('kiln-sample-b-');
    try {
      const fresh = copySample('kiln-sample-c-');
      try {
        const a = kiln(fresh.root, ['build', BUNDLE, '--jobs', '1']);
        const b = kiln(other.root, ['build', BUNDLE, '--jobs', '2'], { TZ: 'Asia/Tokyo', LANG: 'de_DE.UTF-8' });
        expect(a.code, a.stderr).toBe(0);
        expect(b.code, b.stderr).toBe(0);
        for (const file of ['bundle.tar', 'bundle.catalog.json']) {
          const bytesA = readFileSync(join(fresh.root, 'kiln-out/desktop/levels/forest', file));
          const bytesB = readFileSync(join(other.root, 'kiln-out/desktop/levels/forest', file));
          expect(bytesA.equals(bytesB), `${file} differs`).toBe(true);
        }
      } finally {
        fresh.cleanup();
      }
    } finally {
      other.cleanup();
    }
  });
});
