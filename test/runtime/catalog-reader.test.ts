import { beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/runtime/catalog-reader.js';
import type { LoadedTexture } from '../../src/runtime/loaded-asset.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { RuntimeError } from '../../src/runtime/runtime-error.js';
import { forestLevel } from '../bundle/support/synthetic-assets.js';
import { sampleBundle, type SampleBundle } from './support/sample-bundle.js';

let sample: SampleBundle;
beforeAll(async () => {
  sample = await sampleBundle(forestLevel(), { group_by: 'type' });
});

function open(files = sample.files) {
  return openCatalog(memorySource(sample.catalog, 'bundle.catalog.json'), {
    resolve: (file) => {
      const bytes = files.get(file);
      if (!bytes) throw new RuntimeError('not-found', file);
      return memorySource(bytes, file);
    },
  });
}

describe('catalog reader', () => {
  it('finds every asset across grouped bundles, opening each bundle once', async () => {
    const opened: string[] = [];
    const catalog = await openCatalog(memorySource(sample.catalog), {
      resolve: (file) => {
        opened.push(file);
        return memorySource(sample.files.get(file)!, file);
      },
    });
    expect(catalog.catalog.bundles.length).toBeGreaterThan(2);
    for (const asset of catalog.assets()) expect((await catalog.load(asset.label)).label).toBe(asset.label);
    expect(opened.sort()).toEqual([...new Set(opened)].sort());
    expect(opened.length).toBe(catalog.catalog.bundles.length);
  });

  it('loads dependencies before the asset that needs them', async () => {
    const catalog = await open();
    const loaded = await catalog.loadWithDeps('//levels/forest:oak');
    expect([...loaded.keys()].sort()).toEqual(['//levels/forest:bark', '//levels/forest:leaves', '//levels/forest:oak']);
  });

  it('streams through the catalog', async () => {
    const catalog = await open();
    const handle = catalog.stream('//levels/forest:bark');
    const levels: number[] = [];
    handle.on('part', (a) => levels.push((a as LoadedTexture).baseLevel));
    await handle.done;
    expect(levels).toEqual([6, 5, 4, 3, 2, 1, 0]);
  });

  it('answers how much VRAM a level would take from the catalog alone', async () => {
    const catalog = await open(new Map());
    const gpu = (name: string) => forestLevel().find((a) => a.dep.label === `//levels/forest:${name}`)!.dep.outputs[0]!.meta.gpuBytes as number;
    expect(catalog.estimateGpuBytes((a) => a.label.startsWith('//levels/forest:'))).toBe(gpu('bark') + gpu('leaves'));
    expect(catalog.estimateGpuBytes((a) => a.label.startsWith('//levels/desert:'))).toBe(0);
  });

  it('rejects a corrupt catalog', async () => {
    const text = new TextDecoder().decode(sample.catalog);
    expect(text).toContain('"priority":"low"');
    const broken = new TextEncoder().encode(text.replace('"priority":"low"', '"priority":"high"'));
    await expect(openCatalog(memorySource(broken), { resolve: () => memorySource(new Uint8Array()) })).rejects.toMatchObject({ code: 'corrupt' });
  });
});
