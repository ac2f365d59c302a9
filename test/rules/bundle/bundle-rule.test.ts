import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompress as zstdDecompress } from 'fzstd';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/bundle/catalog-reader.js';
import { diffCatalogs } from '../../../src/bundle/catalog-diff.js';
import { INDEX_ENTRY_NAME, parseBundleIndex, type BundleIndex } from '../../../src/format/index-format.js';
import { walkTar } from '../../../src/bundle/tar-walk.js';
import { sha256Hex as hashBytes } from '../../../src/hash/digest.js';
import { bundleRule } from '../../../rules/bundle/index.js';
import { runRule } from '../../support/rule-harness.js';
import { blob, closureOf, data, forestLevel, texture, type Synthetic } from '../../bundle/support/synthetic-assets.js';
import { gunzipSync } from 'node:zlib';

const tmp = await mkdtemp(join(tmpdir(), 'kiln-bundle-rule-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function cook(assets: Synthetic[], attrs: Record<string, unknown> = {}, label = '//levels/forest:bundle', extraBlobs?: Map<string, Uint8Array>, bundleDeps: Synthetic['dep'][] = []) {
  const { closure, blobs } = closureOf(...assets);
  if (extraBlobs) for (const [k, v] of extraBlobs) blobs.set(k, v);
  return runRule(bundleRule(), { label, attrs, deps: [...closure, ...bundleDeps], closure: [...closure, ...bundleDeps], blobs });
}

function indexOf(tar: Uint8Array): BundleIndex {
  const [first] = walkTar(tar);
  expect(first!.name).toBe(INDEX_ENTRY_NAME);
  return parseBundleIndex(new TextDecoder().decode(tar.subarray(first!.dataOffset, first!.dataOffset + first!.size))).index;
}

function decode(stored: Uint8Array, compression: string): Uint8Array {
  if (compression === 'zstd') return zstdDecompress(stored);
  if (compression === 'gzip') return new Uint8Array(gunzipSync(stored));
  return stored;
}

describe('bundle rule', () => {
  it('writes <name>.tar with the index first and a catalog, listed by GNU tar', async () => {
    const result = await cook(forestLevel());
    expect(result.outputs.map((o) => o.name)).toEqual(['bundle.tar', 'bundle.catalog.json']);
    const file = join(tmp, 'forest.tar');
    await writeFile(file, result.bytes('bundle.tar'));
    const listing = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
    const index = indexOf(result.bytes('bundle.tar'));
    expect(listing).toEqual([INDEX_ENTRY_NAME, ...index.entries.map((e) => e.path)]);
    expect(index.assets.map((a) => a.label).sort()).toEqual(forestLevel().map((a) => a.dep.label).sort());
  });

  it('records offsets, digests and part ranges that match the bytes in the tar', async () => {
    const assets = forestLevel();
    const result = await cook(assets);
    const tar = result.bytes('bundle.tar');
    const index = indexOf(tar);
    for (const entry of index.entries) {
      const stored = tar.subarray(entry.offset, entry.offset + entry.size);
      expect(hashBytes(stored)).toBe(entry.stored.hash);
      const raw = decode(stored, entry.compression);
      expect(hashBytes(raw)).toBe(entry.raw.hash);
      const source = assets.find((a) => a.dep.assetId === entry.asset)!;
      const output = source.dep.outputs.find((o) => entry.path.endsWith(`/${o.name}`))!;
      expect(raw).toEqual(source.blobs.get(`${output.digest.hash}-${output.digest.size}`));
      // parts lie inside their entry, and carry the digest the engine recorded when the rule wrote the output
      for (const part of entry.parts) expect(hashBytes(raw.subarray(part.offset, part.offset + part.size))).toBe(part.hash);
      for (const part of entry.parts) expect(output.parts).toContainEqual(part);
    }
  });

  it('orders assets critical first with dependencies before dependents, and streams smallest mips first', async () => {
    const result = await cook([...forestLevel()].reverse());
    const index = indexOf(result.bytes('bundle.tar'));
    const labels = index.assets.map((a) => a.label);
    expect(labels[0]).toBe('//levels/forest:level');
    expect(labels.indexOf('//levels/forest:bark')).toBeLessThan(labels.indexOf('//levels/forest:oak'));
    expect(labels.indexOf('//levels/forest:leaves')).toBeLessThan(labels.indexOf('//levels/forest:oak'));
    expect(labels[labels.length - 1]).toBe('//levels/forest:wind');
    const bark = index.entries.find((e) => e.path.endsWith('bark.ktx2'))!;
    expect(bark.parts.map((p) => p.index)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    const offsets = bark.parts.map((p) => p.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const oak = index.entries.find((e) => e.path.endsWith('oak.glb'))!;
    expect(oak.parts.map((p) => p.index)).toEqual([2, 1, 0]);
    // one output per LOD (the model rule's shape): coarsest LOD first in the tar, main output first in the asset
    const duck = index.assets.find((a) => a.label === '//levels/forest:duck')!;
    expect(duck.entries.map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual(['duck.glb', 'duck.lod1.glb', 'duck.lod2.glb']);
    const duckTar = index.entries.filter((e) => e.asset === duck.id).map((e) => e.output);
    expect(duckTar).toEqual(['duck.lod2.glb', 'duck.lod1.glb', 'duck.glb']);
    // leaves is normal but needed by nothing more urgent; bark is high: the order in the tar follows
    const tarOrder = index.entries.map((e) => index.assets.find((a) => a.id === e.asset)!.label);
    expect([...new Set(tarOrder)]).toEqual(labels);
  });

  it('is byte-identical across runs and input orders', async () => {
    const a = await cook(forestLevel());
    const b = await cook([...forestLevel()].reverse());
    expect(hashBytes(a.bytes('bundle.tar'))).toBe(hashBytes(b.bytes('bundle.tar')));
    expect(a.outputs[1]!.digest).toEqual(b.outputs[1]!.digest);
  });

  it('compresses data entries only when smaller and never compresses streamed entries', async () => {
    const result = await cook([...forestLevel(), blob('//levels/forest:noise', 3000)], { compression: 'gzip' });
    const index = indexOf(result.bytes('bundle.tar'));
    const byName = (suffix: string) => index.entries.find((e) => e.path.endsWith(suffix))!;
    expect(byName('level.json').compression).toBe('gzip');
    expect(byName('level.json').size).toBeLessThan(byName('level.json').raw.size);
    expect(byName('noise.bin').compression).toBe('none');
    expect(byName('bark.ktx2').compression).toBe('none');
    const zstd = indexOf((await cook(forestLevel(), { compression: 'zstd' })).bytes('bundle.tar'));
    expect(zstd.entries.find((e) => e.path.endsWith('level.json'))!.compression).toBe('zstd');
  });

  it('aligns entry data with invisible PAX padding that tar tools ignore', async () => {
    const result = await cook(forestLevel(), { alignment: 4096 });
    const tar = result.bytes('bundle.tar');
    const index = indexOf(tar);
    for (const entry of index.entries) expect(entry.offset % 4096).toBe(0);
    const dir = await mkdtemp(join(tmp, 'x-'));
    await writeFile(join(dir, 'b.tar'), tar);
    const listing = execFileSync('tar', ['-tf', 'b.tar'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual([INDEX_ENTRY_NAME, ...index.entries.map((e) => e.path)]);
    execFileSync('tar', ['-xf', 'b.tar'], { cwd: dir });
    const bark = index.entries.find((e) => e.path.endsWith('bark.ktx2'))!;
    expect(hashBytes(new Uint8Array(await readFile(join(dir, bark.path))))).toBe(bark.raw.hash);
  });

  it('keeps offsets right when long names need PAX headers', async () => {
    const long = `//levels/forest:${'deep/'.repeat(30)}bark`;
    const result = await cook([texture(long, { size: 16 }), ...forestLevel()]);
    const tar = result.bytes('bundle.tar');
    const index = indexOf(tar);
    const entry = index.entries.find((e) => e.path.includes('deep/deep'))!;
    expect(entry.path.length).toBeGreaterThan(155);
    expect(hashBytes(tar.subarray(entry.offset, entry.offset + entry.size))).toBe(entry.stored.hash);
  });

  it('groups by type, priority, level and usage, each asset in exactly one bundle', async () => {
    const shared = texture('//common:stone', { size: 16 });
    const a = data('//levels/forest:a', { a: 1 }, { deps: ['//common:stone'] });
    const b = data('//levels/desert:b', { b: 1 }, { deps: ['//common:stone'] });
    const only = texture('//levels/desert:sand', { size: 16 });
    const all = [shared, a, b, only];
    for (const group_by of ['type', 'priority', 'level', 'usage']) {
      const result = await runRule(bundleRule(), {
        label: '//game:bundle',
        attrs: { group_by },
        deps: [a.dep, b.dep, only.dep],
        closure: all.map((x) => x.dep),
        blobs: closureOf(...all).blobs,
      });
      const catalog = readCatalog(new TextDecoder().decode(result.bytes('bundle.catalog.json')));
      const tars = result.outputs.filter((o) => o.name.endsWith('.tar'));
      const held = tars.flatMap((o) => indexOf(result.bytes(o.name)).assets.map((x) => x.label));
      expect(held.sort(), group_by).toEqual(all.map((x) => x.dep.label).sort());
      expect(catalog.bundles.length).toBe(tars.length);
      if (group_by === 'usage') {
        const stone = catalog.assets.find((x) => x.label === '//common:stone')!;
        expect(stone.bundle).toBe('bundle.shared.tar');
        expect(catalog.assets.find((x) => x.label === '//levels/desert:sand')!.bundle).toBe('bundle.sand.tar');
      }
      if (group_by === 'type') expect(tars.map((t) => t.name)).toEqual(['bundle.tar', 'bundle.texture.tar']);
    }
  });

  it('splits groups above max_size', async () => {
    const assets = [1, 2, 3, 4].map((i) => blob(`//p:b${i}`, 3000));
    const result = await cook(assets, { max_size: 7000 });
    const tars = result.outputs.filter((o) => o.name.endsWith('.tar'));
    expect(tars.map((t) => t.name)).toEqual(['bundle.tar', 'bundle.main.2.tar']);
    for (const t of tars) expect(indexOf(result.bytes(t.name)).assets.length).toBe(2);
  });

  it('references assets held by a bundle dependency instead of packing them again', async () => {
    const ui = texture('//common:ui', { size: 16 });
    const common = await runRule(bundleRule(), { label: '//common:bundle', deps: [ui.dep], closure: [ui.dep], blobs: new Map(ui.blobs) });
    const commonDep = {
      label: '//common:bundle',
      rule: 'bundle',
      type: 'bundle' as const,
      assetId: 'c0ffee0000000000',
      priority: 'normal' as const,
      outputs: common.outputs,
      srcs: [],
      deps: ['//common:ui'],
    };
    const forest = await cook([...forestLevel(), ui], {}, '//levels/forest:bundle', common.blobs, [commonDep]);
    const index = indexOf(forest.bytes('bundle.tar'));
    expect(index.assets.map((a) => a.label)).not.toContain('//common:ui');
    const catalog = readCatalog(new TextDecoder().decode(forest.bytes('bundle.catalog.json')));
    expect(catalog.assets.find((a) => a.label === '//common:ui')!.bundle).toBe('../../common/bundle.tar');
    expect(catalog.bundles.map((b) => b.file)).toEqual(['../../common/bundle.tar', 'bundle.tar']);
  });

  it('changes only the bundle holding an asset when that asset changes, and diff says so', async () => {
    const before = await cook(forestLevel(), { group_by: 'type' });
    const changed = forestLevel().map((a) => (a.dep.label === '//levels/forest:leaves' ? texture('//levels/forest:leaves', { size: 32, seed: 9 }) : a));
    const after = await cook(changed, { group_by: 'type' });
    const names = before.outputs.map((o) => o.name);
    expect(after.outputs.map((o) => o.name)).toEqual(names);
    const differing = names.filter((n, i) => after.outputs[i]!.digest.hash !== before.outputs[i]!.digest.hash);
    expect(differing).toEqual(['bundle.texture.tar', 'bundle.catalog.json']);
    const diff = diffCatalogs(
      readCatalog(new TextDecoder().decode(before.bytes('bundle.catalog.json'))),
      readCatalog(new TextDecoder().decode(after.bytes('bundle.catalog.json'))),
    );
    expect(diff.download.map((d) => d.file)).toEqual(['bundle.texture.tar']);
    expect(diff.changedAssets).toEqual(['//levels/forest:leaves']);
    expect(diff.unchangedBundles.length).toBe(names.length - 2);
  });

  it('rejects an alignment that is not a power of two', async () => {
    await expect(cook(forestLevel(), { alignment: 1000 })).rejects.toThrow(/power of two/);
  });
});
