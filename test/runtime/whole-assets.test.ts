import { describe, expect, it } from 'vitest';
import { openBundle } from '../../src/runtime/bundle-reader.js';
import type { LoadedFont, LoadedModel, LoadedShader, LoadedTexture, LoadedUi } from '../../src/runtime/loaded-asset.js';
import { memoryBytes } from '../../src/runtime/asset-decoder.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { dep, lodModel, type Synthetic } from '../bundle/support/synthetic-assets.js';
import { sampleBundle } from './support/sample-bundle.js';

const text = (s: string) => new TextEncoder().encode(s);
const reflection = { language: 'glsl' as const, entryPoints: [{ name: 'main', stage: 'fragment' }], uniforms: [], textures: [], samplers: [], blocks: [], inputs: [] };
const variantMeta = (variant: string) => ({ language: 'glsl' as const, format: 'spirv' as const, stage: 'fragment', variant, defines: {}, includes: [], reflection });

/** Assets shaped like the font, ui, shader and PNG-texture rules' outputs. */
function wholeAssets(): Synthetic[] {
  const metrics = { size: 32, glyphs: { A: { x: 0, y: 0, w: 10, h: 12 } } };
  const font = dep('//ui:menu_font', 'font', 'font', 'normal', [
    { name: 'menu_font.json', bytes: text(JSON.stringify(metrics)), meta: { format: 'json', glyphs: 1, mode: 'sdf', size: 32, atlas: 'menu_font.atlas.png' } },
    { name: 'menu_font.atlas.png', bytes: text('PNG-atlas-bytes'), meta: { format: 'png', width: 64, height: 64, channels: 1 } },
    { name: 'menu_font.subset.otf', bytes: text('OTTO-subset'), meta: { format: 'otf' } },
  ]);
  const rects = { width: 64, height: 32, sprites: { coin: { x: 0, y: 0, w: 16, h: 16 } } };
  const ui = dep('//ui:icons', 'ui', 'ui', 'normal', [
    { name: 'icons.png', bytes: text('PNG-icons'), meta: { format: 'png', width: 64, height: 32, sprites: 1, rects: 'icons.rects.json' } },
    { name: 'icons.rects.json', bytes: text(JSON.stringify(rects)), meta: { format: 'json' } },
  ]);
  const shader = dep('//fx:lit', 'shader', 'shader', 'normal', [
    { name: 'lit.plain.spv', bytes: text('SPIRV-plain'), meta: variantMeta('plain') },
    { name: 'lit.shadowed.spv', bytes: text('SPIRV-shadowed!'), meta: variantMeta('shadowed') },
  ]);
  const png = dep('//ui:logo', 'texture', 'texture', 'normal', [
    { name: 'logo.png', bytes: text('PNG-mip0-data'), meta: { format: 'png', width: 4, height: 4, vkFormat: 43, mipCount: 3, gpuBytes: 84, colorSpace: 'srgb', container: 'png', alpha: false, mipFiles: ['logo.png', 'logo.mip1.png', 'logo.mip2.png'] } },
    { name: 'logo.mip1.png', bytes: text('PNG-mip1'), meta: { mipLevel: 1, width: 2, height: 2 } },
    { name: 'logo.mip2.png', bytes: text('PNG-m2'), meta: { mipLevel: 2, width: 1, height: 1 } },
  ]);
  return [font, ui, shader, png, lodModel('//props:duck', { lods: 3 })];
}

describe('an asset is all of its outputs', () => {
  it('load() returns a font with metrics, atlas and subset; a UI atlas with its rects; every shader variant; every LOD; every PNG mip', async () => {
    const { tar } = await sampleBundle(wholeAssets());
    const bundle = await openBundle(memorySource(tar));
    const font = await bundle.load<LoadedFont>('//ui:menu_font');
    expect(font.metrics).toEqual({ size: 32, glyphs: { A: { x: 0, y: 0, w: 10, h: 12 } } });
    expect(new TextDecoder().decode(font.atlas)).toBe('PNG-atlas-bytes');
    expect(new TextDecoder().decode(font.subset)).toBe('OTTO-subset');
    expect(Object.keys(font.outputs).sort()).toEqual(['menu_font.atlas.png', 'menu_font.json', 'menu_font.subset.otf']);

    const ui = await bundle.load<LoadedUi>('//ui:icons');
    expect(new TextDecoder().decode(ui.atlas)).toBe('PNG-icons');
    expect(ui.rects).toEqual({ width: 64, height: 32, sprites: { coin: { x: 0, y: 0, w: 16, h: 16 } } });

    const shader = await bundle.load<LoadedShader>('//fx:lit');
    expect(Object.keys(shader.variants)).toEqual(['plain', 'shadowed']);
    expect(new TextDecoder().decode(shader.variants.shadowed!.bytes)).toBe('SPIRV-shadowed!');
    expect(shader.variants.plain!.meta.stage).toBe('fragment');

    const duck = await bundle.load<LoadedModel>('//props:duck');
    expect(duck.lods.map((l) => new TextDecoder().decode(l).replace(/~+$/, ''))).toEqual(['glTF//props:duck#LOD0', 'glTF//props:duck#LOD1', 'glTF//props:duck#LOD2']);

    const logo = await bundle.load<LoadedTexture>('//ui:logo');
    expect(logo.mips.map((m) => [m!.level, m!.width, new TextDecoder().decode(m!.bytes)])).toEqual([
      [0, 4, 'PNG-mip0-data'],
      [1, 2, 'PNG-mip1'],
      [2, 1, 'PNG-m2'],
    ]);
    // Memory is charged once per buffer: the main output is both `bytes` and in `outputs`.
    expect(memoryBytes(font)).toBe(Object.values(font.outputs).reduce((n, b) => n + b.byteLength, 0));
    expect(bundle.metrics().memory.other).toBe(memoryBytes(font) + memoryBytes(ui) + memoryBytes(shader));
  });

  it('stream() ends with the same whole asset as load()', async () => {
    const { tar } = await sampleBundle(wholeAssets());
    const streamed = await openBundle(memorySource(tar));
    const loaded = await openBundle(memorySource(tar));
    for (const label of ['//ui:menu_font', '//ui:icons', '//fx:lit', '//props:duck', '//ui:logo']) {
      const handle = streamed.stream(label);
      const done = await handle.done;
      const whole = await loaded.load(label);
      expect(done, label).toEqual(whole);
      expect(handle.loadedFraction, label).toBe(1);
    }
  });
});
