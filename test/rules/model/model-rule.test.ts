import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestKey, digestOf } from '../../../src/hash/digest.js';
import type { DepInfo } from '../../../src/rule/context.js';
import { RuleError } from '../../../src/rule/rule-error.js';
import { modelRule } from '../../../rules/model/index.js';
import { runRule } from '../../support/rule-harness.js';
import { decode, errorsOf, glbBin, glbJson, validate } from './gltf-check.js';
import { filesUnder, fixtures, PLATFORMS, repoRoot } from './model-files.js';

const rule = modelRule();
const files = filesUnder(fixtures, '.');
const desktop = { name: 'desktop', settings: { ...PLATFORMS.desktop } };
const mobile = { name: 'mobile', settings: { ...PLATFORMS.mobile } };

function textureDep(label: string, srcs: string[]): DepInfo {
  return { label, rule: 'texture', type: 'texture', assetId: 'a1b2c3d4e5f60718', priority: 'normal', outputs: [], srcs, deps: [] };
}

describe('model rule on small fixtures', () => {
  it('keeps a standard fallback source for a referenced texture and adds KILN_texture_ref, and still validates', async () => {
    const r = await runRule(rule, {
      label: '//props:box',
      files,
      srcs: ['BoxTextured/glTF/BoxTextured.gltf'],
      deps: [textureDep('//props:box_tex', ['BoxTextured/glTF/CesiumLogoFlat.png'])],
      platform: desktop,
    });
    const bytes = r.bytes('box.glb');
    const json = glbJson(bytes);
    expect(json.images).toEqual([{ bufferView: expect.any(Number), mimeType: 'image/png' }]);
    expect(json.textures[0].source).toBe(0);
    expect(json.textures[0].extensions.KILN_texture_ref).toEqual({ assetId: 'a1b2c3d4e5f60718', label: '//props:box_tex' });
    expect(json.textures[0].extensions.KHR_texture_basisu).toBeUndefined();
    expect(json.extensionsUsed).toContain('KILN_texture_ref');
    expect(json.extensionsRequired ?? []).not.toContain('KILN_texture_ref');
    expect(errorsOf(await validate(bytes))).toEqual([]);
    expect(r.stats.textures_referenced).toBe(1);
    expect(r.outputs[0]!.meta.textureRefs).toEqual([{ assetId: 'a1b2c3d4e5f60718', label: '//props:box_tex' }]);
  });

  it('scales the fallback image down to fallback_texture_size', async () => {
    const cook = (size: number) =>
      runRule(rule, {
        files,
        attrs: { fallback_texture_size: size },
        srcs: ['BoxTextured/glTF/BoxTextured.gltf'],
        deps: [textureDep('//props:box_tex', ['BoxTextured/glTF/CesiumLogoFlat.png'])],
        platform: desktop,
      });
    const small = await cook(32);
    const { doc } = await decode(small.bytes('target.glb'));
    expect(doc.getRoot().listTextures()[0]!.getSize()).toEqual([32, 32]);
    const large = await cook(4096);
    const full = (await decode(large.bytes('target.glb'))).doc.getRoot().listTextures()[0]!;
    expect(Buffer.from(full.getImage()!).equals(Buffer.from(files['BoxTextured/glTF/CesiumLogoFlat.png']!))).toBe(true);
  });

  it('adds the cooked Basis KTX2 through KHR_texture_basisu when the texture target cooked to Basis', async () => {
    const ktx2 = new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/texture/rgba-uastc.ktx2')));
    const digest = digestOf(ktx2);
    const dep = { ...textureDep('//props:box_tex', ['BoxTextured/glTF/CesiumLogoFlat.png']), outputs: [{ name: 'box_tex.ktx2', digest, meta: {} }] };
    const r = await runRule(rule, {
      files,
      srcs: ['BoxTextured/glTF/BoxTextured.gltf'],
      deps: [dep],
      blobs: new Map([[digestKey(digest), ktx2]]),
      platform: desktop,
    });
    const bytes = r.bytes('target.glb');
    const json = glbJson(bytes);
    expect(json.textures[0].source).toBe(0);
    const basisu = json.textures[0].extensions.KHR_texture_basisu;
    expect(json.images[basisu.source]).toMatchObject({ mimeType: 'image/ktx2' });
    const view = json.bufferViews[json.images[basisu.source].bufferView];
    const bin = glbBin(bytes);
    expect(Buffer.from(bin.subarray(view.byteOffset, view.byteOffset + view.byteLength)).equals(Buffer.from(ktx2))).toBe(true);
    expect(json.extensionsUsed).toEqual(expect.arrayContaining(['KHR_texture_basisu', 'KILN_texture_ref']));
    expect(errorsOf(await validate(bytes))).toEqual([]);
    expect(r.stats.textures_basisu).toBe(1);
    const without = await runRule(rule, { files, attrs: { embed_basisu: false }, srcs: ['BoxTextured/glTF/BoxTextured.gltf'], deps: [dep], blobs: new Map([[digestKey(digest), ktx2]]), platform: desktop });
    expect(glbJson(without.bytes('target.glb')).textures[0].extensions.KHR_texture_basisu).toBeUndefined();
    expect(without.bytes('target.glb').byteLength).toBeLessThan(bytes.byteLength - ktx2.byteLength + 64);
  });

  it('does not offer a BC7 or other non-Basis KTX2 as KHR_texture_basisu', async () => {
    const ktx2 = new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/texture/2d-rgba.ktx2')));
    const digest = digestOf(ktx2);
    const dep = { ...textureDep('//props:box_tex', ['BoxTextured/glTF/CesiumLogoFlat.png']), outputs: [{ name: 'box_tex.ktx2', digest, meta: {} }] };
    const r = await runRule(rule, { files, srcs: ['BoxTextured/glTF/BoxTextured.gltf'], deps: [dep], blobs: new Map([[digestKey(digest), ktx2]]), platform: desktop });
    expect(glbJson(r.bytes('target.glb')).textures[0].extensions.KHR_texture_basisu).toBeUndefined();
  });

  it('matches an image embedded in a GLB to the texture target with the same bytes', async () => {
    const r = await runRule(rule, {
      files,
      srcs: ['BoxTextured/glTF-Binary/BoxTextured.glb'],
      deps: [textureDep('//props:box_tex', ['BoxTextured/glTF/CesiumLogoFlat.png'])],
      platform: desktop,
    });
    expect(r.stats.textures_referenced).toBe(1);
    expect(r.diagnostics.filter((d) => d.message.includes('stays embedded'))).toEqual([]);
  });

  it('keeps an image without a texture target embedded, with a warning', async () => {
    const r = await runRule(rule, { files, srcs: ['BoxTextured/glTF/BoxTextured.gltf'], platform: desktop });
    const { json } = await decode(r.bytes('target.glb'));
    expect(json.images).toHaveLength(1);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/CesiumLogoFlat\.png has no texture target/);
    expect(r.stats.textures_embedded).toBe(1);
  });

  it('cooks the container forms of BoxTextured to the same bytes', async () => {
    const cook = async (src: string) => (await runRule(rule, { files, srcs: [src], platform: desktop })).bytes('target.glb');
    const glb = await cook('BoxTextured/glTF-Binary/BoxTextured.glb');
    expect(Buffer.from(await cook('BoxTextured/glTF-Embedded/BoxTextured.gltf')).equals(Buffer.from(glb))).toBe(true);
    // The separate-file form upstream has different sampler wrap modes; everything else matches.
    const separate = await cook('BoxTextured/glTF/BoxTextured.gltf');
    const { samplers: a, ...restA } = glbJson(separate);
    const { samplers: b, ...restB } = glbJson(glb);
    expect(restA).toEqual(restB);
    expect(a).not.toEqual(b);
    expect(separate.byteLength).toBe(glb.byteLength);
  });

  it('reads the external .bin and images through readFile, so editing them re-cooks', async () => {
    const first = await runRule(rule, { files, srcs: ['Box/glTF/Box.gltf'], platform: desktop });
    expect([...first.discovered]).toEqual([['Box/glTF/Box0.bin', true]]);
    const edited = new Uint8Array(files['Box/glTF/Box0.bin']!);
    // Move one vertex inward (POSITION starts at byte 288 of Box0.bin; stays inside min/max).
    new DataView(edited.buffer).setFloat32(288, 0.25, true);
    const second = await runRule(rule, { files: { ...files, 'Box/glTF/Box0.bin': edited }, srcs: ['Box/glTF/Box.gltf'], platform: desktop });
    expect(second.outputs[0]!.digest).not.toEqual(first.outputs[0]!.digest);
  });

  it('fails with a RuleError naming the missing .bin', async () => {
    const { 'Box/glTF/Box0.bin': _gone, ...rest } = files;
    const run = runRule(rule, { files: rest, srcs: ['Box/glTF/Box.gltf'], platform: desktop });
    await expect(run).rejects.toBeInstanceOf(RuleError);
    await expect(runRule(rule, { files: rest, srcs: ['Box/glTF/Box.gltf'], platform: desktop })).rejects.toThrow(/Box0\.bin does not exist/);
  });

  it('decodes a Draco-compressed GLB and writes it uncompressed', async () => {
    const r = await runRule(rule, { files, srcs: ['Box/glTF-Draco-Binary/Box_Draco.glb'], platform: desktop });
    const bytes = r.bytes('target.glb');
    const { json } = await decode(bytes);
    expect(json.extensionsUsed ?? []).not.toContain('KHR_draco_mesh_compression');
    expect(r.outputs[0]!.meta.triangles).toBe(12);
    expect(errorsOf(await validate(bytes))).toEqual([]);
  });

  it('builds a LOD chain with strictly fewer triangles per level, one streamable output each', async () => {
    const r = await runRule(rule, { label: '//props:fox', files, srcs: ['Fox/glTF-Binary/Fox.glb'], platform: desktop });
    expect(r.outputs.map((o) => o.name)).toEqual(['fox.glb', 'fox.lod1.glb', 'fox.lod2.glb']);
    const tris = r.outputs.map((o) => o.meta.triangles as number);
    expect(tris[0]).toBe(576);
    for (let i = 1; i < tris.length; i++) expect(tris[i]!).toBeLessThan(tris[i - 1]!);
    for (const [i, out] of r.outputs.entries()) {
      const bytes = r.bytes(out.name);
      expect(out.parts).toEqual([{ kind: 'lod', index: i, offset: 0, size: bytes.byteLength, hash: createHash('sha256').update(bytes).digest('hex') }]);
      expect(errorsOf(await validate(bytes))).toEqual([]);
      const { doc } = await decode(bytes);
      expect(doc.getRoot().listAnimations().map((a) => a.getName())).toEqual(['Survey', 'Walk', 'Run']);
    }
    const lods = r.outputs[0]!.meta.lods as { output: string; triangles: number }[];
    expect(lods.map((l) => l.output)).toEqual(['fox.glb', 'fox.lod1.glb', 'fox.lod2.glb']);
    const bounds = r.outputs[0]!.meta.bounds as { min: number[]; max: number[] };
    expect(bounds.max[1]!).toBeGreaterThan(bounds.min[1]!);
    expect(r.stats.keyframes_after as number).toBeLessThanOrEqual(r.stats.keyframes_before as number);
  });

  it('honours error-target LODs instead of ratios', async () => {
    const r = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], attrs: { lod_errors: [0.01, 0.1] }, platform: desktop });
    expect(r.outputs[0]!.meta.ratio).toBe(1);
    expect(r.outputs.slice(1).map((o) => o.meta.error)).toEqual([0.01, 0.1].slice(0, r.outputs.length - 1));
    expect(r.outputs.length).toBeGreaterThanOrEqual(2);
  });

  it('is deterministic: two cooks with meshopt are byte-identical', async () => {
    const a = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], platform: mobile });
    const b = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], platform: mobile });
    expect(a.outputs.map((o) => o.digest)).toEqual(b.outputs.map((o) => o.digest));
    expect(a.stats.validated_before_meshopt).toBe(true);
  });

  it('writes EXT_meshopt_compression that decodes back to a valid glTF', async () => {
    const r = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], platform: mobile });
    const plain = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], attrs: { meshopt: false }, platform: mobile });
    const decoded = await decode(r.bytes('target.glb'));
    expect(decoded.usesMeshopt).toBe(true);
    expect(errorsOf(await validate(decoded.plain))).toEqual([]);
    expect(r.bytes('target.glb').byteLength).toBeLessThan(plain.bytes('target.glb').byteLength);
  });

  it('fails a target over its platform triangle budget, or warns when the profile says so', async () => {
    const tight = { name: 'mobile', settings: { max_triangles: 100, budget: 'error' } };
    await expect(runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], platform: tight })).rejects.toThrow(/576 triangles exceed the mobile budget of 100/);
    const soft = { name: 'web', settings: { max_vertices: 10, budget: 'warning' } };
    const r = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], platform: soft });
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/vertices exceed the web budget of 10/);
  });

  it('checks the budget against the LOD that ships as finest', async () => {
    const tight = { name: 'mobile', settings: { max_triangles: 400, budget: 'error' } };
    const r = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], attrs: { lods: [0.5, 0.25] }, platform: tight });
    expect(r.outputs[0]!.meta.triangles as number).toBeLessThanOrEqual(400);
  });

  it('warns about primitives without normals or UVs', async () => {
    const fox = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], platform: desktop });
    expect(fox.diagnostics.map((d) => d.message).join('\n')).toMatch(/have no normals/);
    const box = await runRule(rule, { files, srcs: ['Box/glTF/Box.gltf'], platform: desktop });
    expect(box.diagnostics.map((d) => d.message).join('\n')).toMatch(/have no UVs/);
  });

  it('validate mode runs the checks without producing outputs', async () => {
    const r = await runRule(rule, { files, srcs: ['Fox/glTF-Binary/Fox.glb'], platform: desktop }, 'validate');
    expect(r.outputs).toEqual([]);
    expect(r.stats.triangles).toBe(576);
  });

  it('rejects a source that is not glTF with a RuleError', async () => {
    const bad = { 'x/model.gltf': '{"asset": {"version": "1.0"}}', 'x/junk.glb': 'not a glb at all' };
    await expect(runRule(rule, { files: bad, srcs: ['x/model.gltf'] })).rejects.toThrow(/glTF 1\.0 is not supported/);
    await expect(runRule(rule, { files: bad, srcs: ['x/junk.glb'] })).rejects.toBeInstanceOf(RuleError);
  });
});
