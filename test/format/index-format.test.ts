import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/bundle-builder.js';
import { encodeEnvelope } from '../../src/bundle/envelope-writer.js';
import { FormatError } from '../../src/format/format-error.js';
import { INDEX_ENTRY_NAME, INDEX_KIND, INDEX_VERSION, parseBundleIndex, type BundleIndex } from '../../src/format/index-format.js';
import { BLOCK, readTarHeader } from '../../src/format/tar-header.js';
import { hashParts } from '../../src/hash/part-digests.js';
import { dep, forestLevel, type Synthetic } from '../bundle/support/synthetic-assets.js';

async function bundleOf(assets: Synthetic[]): Promise<BundleIndex> {
  const inputs = assets.map(({ dep: d, blobs }) => ({
    id: d.assetId,
    label: d.label,
    type: d.type,
    priority: d.priority,
    deps: [],
    outputs: d.outputs.map((o) => ({ name: o.name, bytes: blobs.get(`${o.digest.hash}-${o.digest.size}`)!, meta: o.meta, parts: o.parts })),
  }));
  const { bytes, index } = await buildBundle(inputs, { bundle: '//t:bundle', file: 'bundle.tar', alignment: 16, compression: 'zstd' });
  const header = readTarHeader(bytes.subarray(0, BLOCK))!;
  expect(header.name).toBe(INDEX_ENTRY_NAME);
  // what is in the tar parses back to what the builder says it wrote
  expect(parseBundleIndex(new TextDecoder().decode(bytes.subarray(BLOCK, BLOCK + header.size))).index).toEqual(index);
  return index;
}

/** Re-encodes an index body (valid checksum) after `edit`, the way a hostile or older writer could. */
function reencoded(index: BundleIndex, edit: (body: Record<string, any>) => void, version = INDEX_VERSION): string {
  const body = structuredClone(index) as unknown as Record<string, any>;
  edit(body);
  return encodeEnvelope(INDEX_KIND, version, body);
}

describe('bundle index format', () => {
  it('carries each output’s typed meta and the parts with the digests the engine recorded, offsets inside the entry', async () => {
    const assets = forestLevel();
    const index = await bundleOf(assets);
    const bark = index.entries.find((e) => e.output === 'bark.ktx2')!;
    expect(bark.meta).toMatchObject({ width: 64, height: 64, format: 'rgba8', vkFormat: 37, colorSpace: 'srgb', container: 'ktx2' });
    expect(bark.meta).not.toHaveProperty('parts');
    const record = assets.find((a) => a.dep.label === '//levels/forest:bark')!.dep.outputs[0]!;
    // the same Part objects (kind, index, offset, size, hash) in stream order: nothing re-hashed, nothing moved
    expect([...bark.parts].sort((a, b) => a.offset - b.offset)).toEqual([...record.parts].sort((a, b) => a.offset - b.offset));
    expect(bark.parts.every((p) => p.offset + p.size <= bark.size)).toBe(true);
  });

  it('uses the recorded part digests rather than hashing again', async () => {
    const bytes = new Uint8Array(64).fill(7);
    const parts = hashParts(bytes, [{ kind: 'chunk', index: 0, offset: 0, size: 32 }, { kind: 'chunk', index: 1, offset: 32, size: 32 }], 'a.ogg');
    const claimed = parts.map((p, i) => (i === 1 ? { ...p, hash: 'f'.repeat(64) } : p));
    const meta = { codec: 'opus', container: 'ogg', sampleRate: 48000, channels: 1, frames: 2, durationSeconds: 1, chunkSeconds: 1, chunkFrames: [1, 1], gainDb: 0 } as const;
    const { index } = await buildBundle([{ id: 'a', label: '//a:a', type: 'audio', priority: 'normal', deps: [], outputs: [{ name: 'a.ogg', bytes, meta, parts: claimed }] }], { bundle: '//a:b', file: 'b.tar', alignment: 16, compression: 'none' });
    // the builder trusts the record (the runtime verifies every part against this digest when it reads)
    expect(index.entries[0]!.parts[1]!.hash).toBe('f'.repeat(64));
  });

  it('refuses meta that does not fit the asset type, names the field, and refuses unknown fields', async () => {
    const index = await bundleOf(forestLevel());
    const at = index.entries.findIndex((e) => e.output === 'bark.ktx2');
    const cases: [string, (b: Record<string, any>) => void, string][] = [
      ['width as text', (b) => (b.entries[at].meta.width = '64'), `entries[${at}].meta.width`],
      ['missing vkFormat', (b) => delete b.entries[at].meta.vkFormat, `entries[${at}].meta.vkFormat`],
      ['a model’s meta on a texture', (b) => (b.entries[at].meta = { lod: 0 }), `entries[${at}].meta`],
      ['an unknown field', (b) => (b.entries[at].meta.evil = 1), 'unknown field "evil"'],
      ['a negative gpuBytes', (b) => (b.entries[at].meta.gpuBytes = -1), `entries[${at}].meta.gpuBytes`],
    ];
    for (const [what, edit, named] of cases) {
      let error: unknown;
      try {
        parseBundleIndex(reencoded(index, edit));
      } catch (e) {
        error = e;
      }
      expect(error, what).toBeInstanceOf(FormatError);
      expect((error as Error).message, what).toContain(named);
    }
  });

  it('refuses a part that leaves its entry and an entry of an unlisted asset', async () => {
    const index = await bundleOf(forestLevel());
    const at = index.entries.findIndex((e) => e.output === 'bark.ktx2');
    expect(() => parseBundleIndex(reencoded(index, (b) => (b.entries[at].parts[0].offset = b.entries[at].size)))).toThrow(FormatError);
    expect(() => parseBundleIndex(reencoded(index, (b) => (b.entries[at].asset = 'ffffffffffffffff')))).toThrow(/not listed/);
  });

  it('refuses an index of another version with a clear error', async () => {
    const index = await bundleOf(forestLevel());
    expect(() => parseBundleIndex(reencoded(index, () => {}, 1))).toThrow(`${INDEX_KIND} version 1 is not supported (expected ${INDEX_VERSION})`);
  });

  it('reads the typed meta of the main and the other outputs of one asset', async () => {
    const text = (s: string) => new TextEncoder().encode(s);
    const font = dep('//ui:f', 'font', 'font', 'normal', [
      { name: 'f.json', bytes: text('{}'), meta: { format: 'json', glyphs: 0, mode: 'bitmap', size: 16, atlas: 'f.png' } },
      { name: 'f.png', bytes: text('png'), meta: { format: 'png', width: 1, height: 1, channels: 1 } },
    ]);
    const index = await bundleOf([font]);
    expect(index.entries.map((e) => e.meta)).toEqual(expect.arrayContaining([{ format: 'png', width: 1, height: 1, channels: 1 }]));
  });
});

describe('bundle builder against the contract', () => {
  it('refuses to pack an output whose meta is not its asset type’s, naming the asset and the field', async () => {
    const wrong = dep('//t:hero', 'texture', 'texture', 'normal', [{ name: 'hero.ktx2', bytes: new Uint8Array(8), meta: { refs: {} } }]);
    await expect(bundleOf([wrong])).rejects.toMatchObject({ diagnostics: [{ code: 'bad-output-meta', label: '//t:hero' }] });
    await expect(bundleOf([wrong])).rejects.toThrow(/\/\/t:hero: output hero\.ktx2 does not carry texture meta/);
  });
});
