/**
 * Every model in the shared corpus cooks for each platform profile, validates with 0 errors
 * (meshopt outputs are decoded first: the validator cannot read EXT_meshopt_compression), and
 * its LODs have strictly decreasing triangle counts. Every broken input fails with a RuleError.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/rule/rule-error.js';
import { modelRule } from '../../../rules/model/index.js';
import { runRule } from '../../support/rule-harness.js';
import { decode, errorsOf, validate } from './gltf-check.js';
import { corpusRoot, filesUnder, hasCorpus, PLATFORMS } from './model-files.js';

if (!hasCorpus) console.log(`model corpus tests skipped: ${corpusRoot} not found`);

const files = hasCorpus ? filesUnder(corpusRoot, 'gltf') : {};
const models = Object.keys(files).filter((p) => /\.(gltf|glb)$/.test(p));
const rule = modelRule();

describe.skipIf(!hasCorpus)('model rule on the corpus', () => {
  for (const src of models) {
    it(`cooks ${src} for desktop, mobile and web`, async () => {
      for (const [name, settings] of Object.entries(PLATFORMS)) {
        const r = await runRule(rule, { files, srcs: [src], platform: { name, settings: { ...settings } } });
        const tris = r.outputs.map((o) => o.meta.triangles as number);
        for (let i = 1; i < tris.length; i++) expect(tris[i]!, `${name} LOD${i}`).toBeLessThan(tris[i - 1]!);
        if (tris[0]! >= 500) expect(tris.length, `${name}: LODs of a ${tris[0]}-triangle model`).toBeGreaterThanOrEqual(2);
        for (const out of r.outputs) {
          const bytes = r.bytes(out.name);
          const { plain, usesMeshopt } = await decode(bytes);
          expect(usesMeshopt).toBe(settings.meshopt);
          expect(errorsOf(await validate(settings.meshopt ? plain : bytes)), `${name} ${out.name}`).toEqual([]);
        }
      }
    });
  }
});

const brokenDir = join(corpusRoot, 'broken/gltf');
const broken = existsSync(brokenDir) ? filesUnder(corpusRoot, 'broken/gltf') : {};
const brokenModels = Object.keys(broken).filter((p) => /\.(gltf|glb)$/.test(p));

describe.skipIf(brokenModels.length === 0)('model rule on broken inputs', () => {
  it.each(brokenModels)('rejects %s with a RuleError', async (src) => {
    const error = await runRule(rule, { files: broken, srcs: [src] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).message.length).toBeGreaterThan(10);
  });
});
