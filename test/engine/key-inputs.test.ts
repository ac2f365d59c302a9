import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { wasmTextureCodecs } from '../../rules/texture/default-codecs.js';
import { textureRule } from '../../rules/texture/index.js';
import { Builder } from '../../src/engine/builder.js';
import { createRegistry } from '../../src/rule/registry.js';
import type { AnyRule } from '../../src/rule/rule.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const ROOT = `workspace:
  name: test
  packages: pkgs
default_platform: desktop
platforms:
  desktop: { texture: { format: bc7, effort: fast } }
`;

async function png(seed: number): Promise<Uint8Array> {
  const data = Buffer.alloc(16 * 16 * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * seed) & 0xff;
  return new Uint8Array(await sharp(data, { raw: { width: 16, height: 16, channels: 4 } }).png().toBuffer());
}

function builderWith(rule: AnyRule): Builder {
  const workspace = Workspace.at(ws.root, createRegistry([rule]));
  const cacheDir = workspace.config.cacheDir;
  return new Builder({ workspace, jobs: 1, cache: { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) } });
}

/** The real wasm encoders, except that the BC encoder claims another version (a faked upgrade). */
function ruleWithBcVersion(version: string | undefined): AnyRule {
  if (!version) return textureRule() as AnyRule;
  const real = wasmTextureCodecs().bc;
  return textureRule({ wasm: { bc: { name: real.name, identity: async () => `ktx2-encoder@${version}`, encode: (job) => real.encode(job) } } }) as AnyRule;
}

const executed = (summary: { targets: { label: string; status: string }[] }) => summary.targets.filter((t) => t.status === 'executed').map((t) => t.label).sort();

describe('tool identities in the action key', () => {
  it('re-cooks exactly the actions of an upgraded encoder: the BC7 textures, not the PNG one', async () => {
    ws = tempWorkspace(
      {
        'pkgs/tex/assets.yaml': 'targets:\n  hero: { rule: texture, srcs: [hero.png] }\n  rock: { rule: texture, srcs: [rock.png] }\n  icon: { rule: texture, srcs: [icon.png], format: png }\n',
        'pkgs/tex/hero.png': await png(3),
        'pkgs/tex/rock.png': await png(5),
        'pkgs/tex/icon.png': await png(7),
      },
      ROOT,
    );
    const first = await builderWith(ruleWithBcVersion(undefined)).build({ patterns: ['//tex:all'] });
    expect(first.failed).toBe(0);
    expect(executed(first)).toEqual(['//tex:hero', '//tex:icon', '//tex:rock']);
    const again = await builderWith(ruleWithBcVersion(undefined)).build({ patterns: ['//tex:all'] });
    expect(executed(again)).toEqual([]);

    const upgraded = await builderWith(ruleWithBcVersion('99.0.0')).build({ patterns: ['//tex:all'] });
    expect(executed(upgraded)).toEqual(['//tex:hero', '//tex:rock']);
    const hero = upgraded.targets.find((t) => t.label === '//tex:hero') as { reasons?: string[] };
    expect(hero.reasons).toEqual([expect.stringMatching(/^tool texture-bc changed: ktx2-encoder@[^ ]+ → ktx2-encoder@99\.0\.0$/)]);

    // Going back finds the old entries again: two encoder versions never share one.
    const back = await builderWith(ruleWithBcVersion(undefined)).build({ patterns: ['//tex:all'] });
    expect(executed(back)).toEqual([]);
  });
});
