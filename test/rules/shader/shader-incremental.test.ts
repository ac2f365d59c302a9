/**
 * Through the real engine (Builder on a disk workspace, with only this rule registered so other
 * rules cannot break it): an include file is a discovered input, so editing it re-cooks exactly
 * the shaders that include it.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { shaderRule } from '../../../rules/shader/index.js';
import { Builder } from '../../../src/engine/builder.js';
import { createRegistry } from '../../../src/rule/registry.js';
import { createCacheStack } from '../../../src/store/create-cache-stack.js';
import { Workspace } from '../../../src/workspace/workspace.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const hasGlslang = (() => {
  try {
    execFileSync('glslangValidator', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = !hasGlslang && process.env.CI !== 'true';
if (skip) console.log('skipping shader incremental build test: glslangValidator not found');

describe.skipIf(skip)('shader rule in a build', () => {
  const root = mkdtempSync(join(tmpdir(), 'kiln-shader-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function build(): Promise<{ label: string; status: string }[]> {
    const workspace = Workspace.open(root, createRegistry([shaderRule()]));
    const builder = new Builder({ workspace, cache: createCacheStack({ localRoot: workspace.config.cacheDir }) });
    const summary = await builder.build({ patterns: ['//shaders:all'] });
    expect(summary.failed).toBe(0);
    return summary.targets;
  }
  const executed = (targets: { label: string; status: string }[]) =>
    targets.filter((t) => t.status === 'executed').map((t) => t.label).sort();

  it('re-cooks only the shaders that include an edited file', async () => {
    writeFileSync(join(root, 'assets.yaml'), 'workspace: { name: t, packages: pkgs, cache: .kiln }\ndefault_platform: desktop\nplatforms: { desktop: {} }\n');
    cpSync(join(repoRoot, 'sample-project/common/shaders'), join(root, 'pkgs/shaders'), { recursive: true });
    expect(executed(await build())).toEqual(['//shaders:blur', '//shaders:lit', '//shaders:lit_wgsl', '//shaders:skinned']);
    expect(executed(await build())).toEqual([]);
    appendFileSync(join(root, 'pkgs/shaders/lib/lighting.glsl'), '\nfloat unusedHelper(float x) { return x; }\n');
    expect(executed(await build())).toEqual(['//shaders:lit']);
    appendFileSync(join(root, 'pkgs/shaders/lib/pbr.wgsl'), '\nfn unused_helper(x: f32) -> f32 { return x; }\n');
    expect(executed(await build())).toEqual(['//shaders:lit_wgsl']);
  });
});
