/**
 * Cooks the model and animation targets of sample-project/props through the harness, the way the
 * engine will: attributes checked against the rule schema, package defaults and the platform
 * override merged, texture targets handed over as DepInfo.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DepInfo } from '../../../src/rule/context.js';
import { animationRule } from '../../../rules/animation/index.js';
import { modelRule } from '../../../rules/model/index.js';
import { runRule } from '../../support/rule-harness.js';
import { errorsOf, glbJson, validate } from './gltf-check.js';
import { filesUnder, PLATFORMS, repoRoot } from './model-files.js';

type Target = { rule: string; srcs?: string[]; deps?: string[]; platforms?: Record<string, object>; priority?: string; [k: string]: unknown };
const pkg = 'props';
const root = join(repoRoot, 'sample-project');
const yaml = parse(readFileSync(join(root, pkg, 'assets.yaml'), 'utf8')) as { defaults?: Record<string, object>; targets: Record<string, Target> };
const files = filesUnder(root, pkg);
const rules = { model: modelRule(), animation: animationRule() } as const;
const RESERVED = new Set(['rule', 'srcs', 'glob', 'deps', 'priority', 'platforms']);

function attrsOf(target: Target, platform: string): Record<string, unknown> {
  const own = Object.fromEntries(Object.entries(target).filter(([k]) => !RESERVED.has(k)));
  return { ...(yaml.defaults?.[target.rule] ?? {}), ...own, ...(target.platforms?.[platform] ?? {}) };
}

function depOf(name: string): DepInfo {
  const target = yaml.targets[name.replace(/^:/, '')]!;
  return {
    label: `//${pkg}:${name.replace(/^:/, '')}`,
    rule: target.rule,
    type: 'texture',
    assetId: name.replace(/\W/g, '').padEnd(16, '0').slice(0, 16),
    priority: 'normal',
    outputs: [],
    srcs: (target.srcs ?? []).map((s) => `${pkg}/${s}`),
    deps: [],
  };
}

describe('sample-project/props', () => {
  const cooked = Object.entries(yaml.targets).filter(([, t]) => t.rule === 'model' || t.rule === 'animation');
  it.each(cooked)('%s cooks for every platform with its textures referenced', async (name, target) => {
    const rule = rules[target.rule as keyof typeof rules];
    for (const [platform, settings] of Object.entries(PLATFORMS)) {
      const attrs = attrsOf(target, platform);
      expect(rule.attributes.parse(attrs).issues).toEqual([]);
      const r = await runRule(rule, {
        label: `//${pkg}:${name}`,
        attrs,
        files,
        srcs: (target.srcs ?? []).map((s) => `${pkg}/${s}`),
        deps: (target.deps ?? []).map(depOf),
        platform: { name: platform, settings: { ...settings } },
      });
      expect(r.diagnostics.filter((d) => d.message.includes('stays embedded'))).toEqual([]);
      const main = r.bytes(`${name}.glb`);
      if (!settings.meshopt || target.rule === 'animation') expect(errorsOf(await validate(main))).toEqual([]);
      if (target.rule === 'model') {
        const json = glbJson(main);
        for (const texture of json.textures) {
          expect(texture.source).toBeTypeOf('number');
          expect(texture.extensions.KILN_texture_ref.label).toMatch(/^\/\/props:/);
        }
      }
    }
  });
});
