/**
 * Builds one bundle tar from assets in load order: compresses what is worth compressing, lays
 * out the entries (index first), fixes the index's own size by iterating until the offsets it
 * records no longer move it, packs (tar-writer.ts) and checks every recorded offset against the
 * headers actually written.
 */
import { readAssetMeta, type AssetMeta } from '../format/asset-meta.js';
import { diagnosticError } from '../diagnostic/diagnostic.js';
import { FormatError } from '../format/format-error.js';
import type { Part } from '../format/part.js';
import { digestOf } from '../hash/digest.js';
import type { AssetType, LoadPriority } from '../format/asset-type.js';
import { compressEntry } from './entry-compression.js';
import { encodeEnvelope } from './envelope-writer.js';
import {
  INDEX_ENTRY_NAME,
  INDEX_KIND,
  INDEX_VERSION,
  type BundleIndex,
  type BundlePlatform,
  type Compression,
  type IndexAsset,
  type IndexEntry,
} from '../format/index-format.js';
import { streamOrder } from './load-order.js';
import { planTar, writeTar } from './tar-writer.js';
import { walkTar } from './tar-walk.js';

export interface BundleOutputInput {
  name: string;
  bytes: Uint8Array;
  meta: AssetMeta;
  /** The output record's parts, hashed when the rule wrote them: never re-hashed here. */
  parts: readonly Part[];
}

export interface BundleAssetInput {
  id: string;
  label: string;
  type: AssetType;
  priority: LoadPriority;
  deps: string[];
  /** Main output first. */
  outputs: BundleOutputInput[];
}

export interface BuildBundleOptions {
  /** Label of the bundle target. */
  bundle: string;
  /** The platform the assets were cooked for. */
  platform?: BundlePlatform;
  /** File name of this tar. */
  file: string;
  /** Entry data alignment (power of two). */
  alignment: number;
  compression: Compression;
}

export interface BuiltBundle {
  bytes: Uint8Array;
  index: BundleIndex;
}

interface Prepared {
  path: string;
  asset: string;
  output: string;
  stored: Uint8Array;
  compression: Compression;
  raw: { hash: string; size: number };
  /** Hashed once: the layout loop below builds the entries once per attempt. */
  storedDigest: { hash: string; size: number };
  /** The parts in stream order, likewise. */
  streamParts: Part[];
  meta: AssetMeta;
}

export async function buildBundle(assets: readonly BundleAssetInput[], options: BuildBundleOptions): Promise<BuiltBundle> {
  const prepared: Prepared[] = [];
  const indexAssets: IndexAsset[] = [];
  for (const asset of assets) {
    const paths = asset.outputs.map((output) => `assets/${asset.id}/${output.name}`);
    for (const output of tarOrder(asset.outputs)) {
      checkMeta(asset, output);
      prepared.push(await prepare(`assets/${asset.id}/${output.name}`, asset.id, output, options.compression));
    }
    indexAssets.push({ id: asset.id, label: asset.label, type: asset.type, priority: asset.priority, deps: asset.deps, entries: paths });
  }

  let indexLength = 0;
  let indexBytes = new Uint8Array(0);
  let plan = planTar([]);
  let index: BundleIndex;
  for (let attempt = 0; ; attempt++) {
    plan = planTar([
      { name: INDEX_ENTRY_NAME, size: indexLength, align: 1 },
      ...prepared.map((p) => ({ name: p.path, size: p.stored.byteLength, align: options.alignment })),
    ]);
    index = {
      bundle: options.bundle,
      ...(options.platform ? { platform: options.platform } : {}),
      file: options.file,
      alignment: options.alignment,
      assets: indexAssets,
      entries: prepared.map((p, i) => indexEntry(p, plan.entries[i + 1]!.dataOffset)),
    };
    indexBytes = new TextEncoder().encode(encodeEnvelope(INDEX_KIND, INDEX_VERSION, index, indexLength));
    if (indexBytes.byteLength === indexLength) break;
    if (attempt > 16) throw new Error('bundle index size did not settle');
    indexLength = Math.max(indexLength, indexBytes.byteLength);
  }
  const bytes = await writeTar([
    { name: INDEX_ENTRY_NAME, data: indexBytes },
    ...prepared.map((p, i) => ({ name: p.path, data: p.stored, padding: plan.entries[i + 1]!.padding })),
  ]);
  const walked = walkTar(bytes);
  if (walked.length !== prepared.length + 1 || walked[0]!.name !== INDEX_ENTRY_NAME) throw new Error('packed tar does not match its plan');
  index.entries.forEach((entry, i) => {
    const at = walked[i + 1]!;
    if (at.name !== entry.path || at.dataOffset !== entry.offset || at.size !== entry.size) {
      throw new Error(`packed tar puts ${at.name} at ${at.dataOffset}, index says ${entry.offset}`);
    }
    if (entry.offset % options.alignment !== 0) throw new Error(`${entry.path} is not aligned to ${options.alignment}`);
  });
  return { bytes, index };
}

/**
 * Outputs of one asset in the order they go into the tar: outputs that are whole LODs
 * (`oak.lod2.glb`, parts of kind `lod`, as the model rule writes them) coarsest first, then
 * the other outputs as produced.
 */
function tarOrder(outputs: readonly BundleOutputInput[]): BundleOutputInput[] {
  const lodOf = (o: BundleOutputInput): number => {
    if (o.parts.length === 0 || !o.parts.every((p) => p.kind === 'lod')) return -1;
    return Math.min(...o.parts.map((p) => p.index));
  };
  return outputs
    .map((output, n) => ({ output, n, lod: lodOf(output) }))
    .sort((a, b) => (a.lod === b.lod ? a.n - b.n : b.lod - a.lod))
    .map((x) => x.output);
}

async function prepare(path: string, asset: string, output: BundleOutputInput, mode: Compression): Promise<Prepared> {
  const parts = checkParts(output.parts, output.bytes.byteLength, path);
  // Streamed entries stay uncompressed so each part is one plain byte range (see README.md).
  const { stored, compression } = parts.length > 0 ? { stored: output.bytes, compression: 'none' as const } : await compressEntry(output.bytes, mode);
  const raw = digestOf(output.bytes);
  return { path, asset, output: output.name, stored, compression, raw, storedDigest: stored === output.bytes ? raw : digestOf(stored), streamParts: streamOrder(parts), meta: output.meta };
}

/**
 * The runtime checks every entry's meta against its asset type when it opens a bundle; checking
 * here too turns a rule that wrote the wrong meta into a bundle error naming the asset, instead
 * of a bundle kiln's own reader refuses.
 */
function checkMeta(asset: BundleAssetInput, output: BundleOutputInput): void {
  try {
    readAssetMeta(asset.type, output.meta, 'meta');
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    throw diagnosticError('bad-output-meta', `${asset.label}: output ${output.name} does not carry ${asset.type} meta (${error.message})`, { label: asset.label });
  }
}

/** The record was parsed strictly from the cache; this guards bytes and record belonging together. */
function checkParts(parts: readonly Part[], size: number, path: string): Part[] {
  for (const p of parts) {
    if (p.offset + p.size > size) throw new Error(`${path}: part ${p.kind} ${p.index} (${p.offset}+${p.size}) lies outside the ${size}-byte output`);
  }
  return [...parts];
}

function indexEntry(p: Prepared, offset: number): IndexEntry {
  return {
    path: p.path,
    asset: p.asset,
    output: p.output,
    offset,
    size: p.stored.byteLength,
    stored: p.storedDigest,
    compression: p.compression,
    raw: p.raw,
    parts: p.streamParts,
    meta: p.meta,
  };
}
