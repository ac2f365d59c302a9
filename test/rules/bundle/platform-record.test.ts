import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleRule } from '../../../rules/bundle/index.js';
import { dataRule } from '../../../rules/data/index.js';
import { Builder } from '../../../src/engine/builder.js';
import { createRegistry } from '../../../src/rule/registry.js';
import type { AnyRule } from '../../../src/rule/rule.js';
import { openBundle } from '../../../src/runtime/bundle-reader.js';
import { openCatalog } from '../../../src/runtime/catalog-reader.js';
import { fileSource } from '../../../src/runtime/file-source.js';
import { DiskActionCache } from '../../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../../src/store/disk-blob-store.js';
import { Workspace } from '../../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const ROOT = (mobileAudio: number) => `workspace:
  name: test
  packages: pkgs
default_platform: windows
platforms:
  windows: { texture: { format: bc7 } }
  linux: { texture: { format: bc7 } }
  mobile: { texture: { format: astc }, audio: { sample_rate: ${mobileAudio} } }
`;

async function build(platform: string): Promise<void> {
  const workspace = Workspace.at(ws.root, createRegistry([dataRule(), bundleRule()] as AnyRule[]));
  const dir = workspace.config.cacheDir;
  const builder = new Builder({ workspace, platform, jobs: 1, workers: 0, cache: { blobs: new DiskBlobStore(join(dir, 'cas')), actions: new DiskActionCache(join(dir, 'ac')) } });
  const summary = await builder.build({ patterns: ['//lvl:pack'] });
  await builder.close();
  expect(summary.failed).toBe(0);
}

const files = { 'pkgs/lvl/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n  pack: { rule: bundle, deps: [":cfg"] }\n', 'pkgs/lvl/cfg.json': '{"a": 1}' };

describe('per-platform outputs', () => {
  it('keeps each platform in its own kiln-out folder and records the platform in the catalog and bundle index', async () => {
    ws = tempWorkspace(files, ROOT(24000));
    await build('windows');
    await build('mobile');
    // Building mobile after windows leaves windows' bundle in place.
    expect(readFileSync(join(ws.root, 'kiln-out/windows/lvl/pack.tar')).byteLength).toBeGreaterThan(0);
    const windows = await openCatalog(fileSource(join(ws.root, 'kiln-out/windows/lvl/pack.catalog.json')));
    const mobile = await openCatalog(fileSource(join(ws.root, 'kiln-out/mobile/lvl/pack.catalog.json')));
    expect(windows.platform?.name).toBe('windows');
    expect(mobile.platform?.name).toBe('mobile');
    expect(windows.platform?.settingsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(mobile.platform?.settingsDigest).not.toBe(windows.platform?.settingsDigest);
    const bundle = await openBundle(fileSource(join(ws.root, 'kiln-out/mobile/lvl/pack.tar')));
    expect(bundle.platform).toEqual(mobile.platform);
  });

  it('changes the settings digest, and re-packs the bundle, when any setting of the platform changes', async () => {
    ws = tempWorkspace(files, ROOT(24000));
    await build('mobile');
    const before = (await openCatalog(fileSource(join(ws.root, 'kiln-out/mobile/lvl/pack.catalog.json')))).platform;
    ws.write('assets.yaml', ROOT(22050));
    await build('mobile');
    const after = (await openCatalog(fileSource(join(ws.root, 'kiln-out/mobile/lvl/pack.catalog.json')))).platform;
    expect(after?.name).toBe('mobile');
    expect(after?.settingsDigest).not.toBe(before?.settingsDigest);
    // windows and linux have the same settings: the same digest.
    ws.write('assets.yaml', ROOT(24000));
    await build('windows');
    await build('linux');
    const w = (await openCatalog(fileSource(join(ws.root, 'kiln-out/windows/lvl/pack.catalog.json')))).platform;
    const l = (await openCatalog(fileSource(join(ws.root, 'kiln-out/linux/lvl/pack.catalog.json')))).platform;
    expect(w?.settingsDigest).toBe(l?.settingsDigest);
  });

  it('refuses a platform name that is not a plain folder name, before writing anything', () => {
    ws = tempWorkspace(files, 'workspace:\n  name: test\n  packages: pkgs\ndefault_platform: "../up"\nplatforms:\n  "../up": {}\n');
    const workspace = Workspace.at(ws.root, createRegistry([dataRule(), bundleRule()] as AnyRule[]));
    const dir = workspace.config.cacheDir;
    expect(() => new Builder({ workspace, jobs: 1, workers: 0, cache: { blobs: new DiskBlobStore(join(dir, 'cas')), actions: new DiskActionCache(join(dir, 'ac')) } })).toThrow(/cannot be a folder name/);
  });
});
