/**
 * Turns verified bytes into typed assets. A streamed asset starts empty (`emptyAsset`) and gains
 * one part at a time (`applyPart`); a whole load applies all parts of the entry at once. Only
 * bytes that passed their digest check ever reach this file.
 */
import { isAudioMeta, isDataMeta, isFontMeta, isModelMeta, isShaderMeta, isTextureMeta, isUiMeta, type AssetMeta } from '../format/asset-meta.js';
import type { IndexAsset, IndexEntry } from '../format/index-format.js';
import type { Part } from '../format/part.js';
import type { LoadedAsset, LoadedTexture } from './loaded-asset.js';
import { RuntimeError } from './runtime-error.js';

/**
 * The main output's meta, as the asset's type requires. The index parser already checked it
 * against the type's specs; this only tells the main output's spec from the others'.
 */
function mainMeta<M extends AssetMeta>(asset: IndexAsset, entry: IndexEntry | undefined, is: (m: AssetMeta) => m is M): M {
  if (!entry) throw new RuntimeError('corrupt', `${asset.label}: a ${asset.type} with no outputs`);
  if (!is(entry.meta)) throw new RuntimeError('corrupt', `${asset.label}: ${entry.output} does not carry the main ${asset.type} meta`);
  return entry.meta;
}

/** A streaming part together with the entry it lies in. */
export interface AssetPart {
  entry: IndexEntry;
  part: Part;
}

/**
 * Every streaming part of an asset across all its entries, in stream order: a texture's mips
 * smallest first, a model's LODs coarsest first whether they share one output or have one
 * output each (`oak.glb`, `oak.lod1.glb`, …), audio chunks in order.
 */
export function assetParts(entries: readonly IndexEntry[]): AssetPart[] {
  const all = entries.flatMap((entry) => entry.parts.map((part) => ({ entry, part })));
  return all.sort((a, b) => streamRank(a.part) - streamRank(b.part));
}

function streamRank(part: Part): number {
  if (part.kind === 'header') return -1e9 + part.index;
  return part.kind === 'chunk' ? part.index : -part.index;
}

function countOf(parts: readonly AssetPart[], kind: Part['kind']): number {
  return parts.filter((p) => p.part.kind === kind).reduce((n, p) => Math.max(n, p.part.index + 1), 0);
}

/** An asset with none of its parts yet. */
export function emptyAsset(asset: IndexAsset, entry: IndexEntry | undefined, parts: readonly AssetPart[] = []): LoadedAsset {
  const base = { id: asset.id, label: asset.label, priority: asset.priority, outputs: {} as Record<string, Uint8Array> };
  switch (asset.type) {
    case 'texture': {
      const meta = mainMeta(asset, entry, isTextureMeta);
      const mipCount = countOf(parts, 'mip') || 1;
      return {
        ...base,
        type: 'texture',
        meta,
        width: meta.width,
        height: meta.height,
        format: meta.format,
        vkFormat: meta.vkFormat,
        mipCount: meta.mipCount,
        gpuBytes: meta.gpuBytes,
        mips: new Array(mipCount).fill(undefined),
        baseLevel: mipCount,
      };
    }
    case 'model': {
      const lods = countOf(parts, 'lod') || 1;
      return { ...base, type: 'model', meta: mainMeta(asset, entry, isModelMeta), lods: new Array(lods).fill(undefined), bestLod: lods };
    }
    case 'audio': {
      const chunks = countOf(parts, 'chunk') || 1;
      return { ...base, type: 'audio', meta: mainMeta(asset, entry, isAudioMeta), chunks: new Array(chunks).fill(undefined), playableChunks: 0 };
    }
    case 'data':
      return { ...base, type: 'data', meta: mainMeta(asset, entry, isDataMeta), value: undefined, byteLength: 0 };
    case 'font':
      return { ...base, type: 'font', meta: mainMeta(asset, entry, isFontMeta), bytes: new Uint8Array(0), metrics: undefined, atlas: undefined, subset: undefined };
    case 'ui':
      return { ...base, type: 'ui', meta: mainMeta(asset, entry, isUiMeta), bytes: new Uint8Array(0), atlas: new Uint8Array(0), rects: undefined };
    case 'shader':
      return { ...base, type: 'shader', meta: mainMeta(asset, entry, isShaderMeta), bytes: new Uint8Array(0), variants: {} };
    default:
      return { ...base, type: asset.type, meta: entry?.meta, bytes: new Uint8Array(0) };
  }
}

/** Adds one verified part; returns the updated asset (a new object, so handles can compare). */
export function applyPart(asset: LoadedAsset, part: Part, bytes: Uint8Array): LoadedAsset {
  switch (asset.type) {
    case 'texture': {
      if (part.kind !== 'mip') return asset;
      const mips = asset.mips.slice();
      mips[part.index] = { level: part.index, width: Math.max(1, asset.width >> part.index), height: Math.max(1, asset.height >> part.index), bytes };
      return { ...asset, mips, baseLevel: Math.min(asset.baseLevel, part.index) };
    }
    case 'model': {
      if (part.kind !== 'lod') return asset;
      const lods = asset.lods.slice();
      lods[part.index] = bytes;
      return { ...asset, lods, bestLod: Math.min(asset.bestLod, part.index) };
    }
    case 'audio': {
      if (part.kind !== 'chunk') return asset;
      const chunks = asset.chunks.slice();
      chunks[part.index] = bytes;
      let playable = 0;
      while (playable < chunks.length && chunks[playable]) playable++;
      return { ...asset, chunks, playableChunks: playable };
    }
    default:
      return asset;
  }
}

/** Decodes an asset from its verified streamed entries (raw bytes of each entry that has parts). */
export function decodeParts(asset: IndexAsset, main: IndexEntry | undefined, parted: readonly { entry: IndexEntry; raw: Uint8Array }[]): LoadedAsset {
  const raws = new Map(parted.map((p) => [p.entry, p.raw]));
  const parts = assetParts(parted.map((p) => p.entry));
  let out = emptyAsset(asset, main, parts);
  for (const { entry, part } of parts) out = applyPart(out, part, raws.get(entry)!.subarray(part.offset, part.offset + part.size));
  return out;
}

/** Decodes an asset whose main entry has no streaming parts (raw, decompressed bytes). */
export function decodeWhole(asset: IndexAsset, entry: IndexEntry | undefined, raw: Uint8Array): LoadedAsset {
  const out = emptyAsset(asset, entry);
  switch (out.type) {
    case 'texture':
      return { ...out, mips: [{ level: 0, width: out.width, height: out.height, bytes: raw }], mipCount: 1, baseLevel: 0 };
    case 'model':
      return { ...out, lods: [raw], bestLod: 0 };
    case 'audio':
      return { ...out, chunks: [raw], playableChunks: 1 };
    case 'data':
      if (!entry?.output.endsWith('.json')) return { ...out, value: raw, byteLength: raw.byteLength };
      return { ...out, value: parseJson(raw, asset.label, 'data'), byteLength: raw.byteLength };
    default:
      return { ...out, bytes: raw };
  }
}

/** One entry of an asset with its verified, decompressed bytes. */
export interface EntryBytes {
  entry: IndexEntry;
  raw: Uint8Array;
}

/**
 * The whole asset from every one of its entries (main first): parts of streamed entries go
 * into mips / LODs / chunks, every other output into `outputs`, and the typed fields of fonts,
 * UI atlases, shaders and image-file textures are filled from them.
 */
export function decodeAsset(asset: IndexAsset, entries: readonly EntryBytes[]): LoadedAsset {
  const main = entries[0]?.entry;
  const parted = entries.filter((e) => e.entry.parts.length > 0);
  const decoded = parted.length > 0 ? decodeParts(asset, main, parted) : decodeWhole(asset, main, entries[0]?.raw ?? new Uint8Array(0));
  return withOutputs(decoded, entries.filter((e) => e.entry.parts.length === 0));
}

/** `asset` with the given unstreamed outputs added and its typed fields completed from them. */
export function withOutputs(asset: LoadedAsset, whole: readonly EntryBytes[]): LoadedAsset {
  const outputs = { ...asset.outputs };
  for (const { entry, raw } of whole) outputs[entry.output] = raw;
  const out = { ...asset, outputs } as LoadedAsset;
  switch (out.type) {
    case 'texture': {
      // Image-file textures (PNG/WebP) store one file per mip, listed in meta.mipFiles.
      const files = out.meta.mipFiles ?? [];
      if (files.length <= 1 || files.some((f) => !outputs[f])) return out;
      const mips = files.map((f, level) => ({ level, width: Math.max(1, out.width >> level), height: Math.max(1, out.height >> level), bytes: outputs[f]! }));
      return { ...out, mips, mipCount: mips.length, baseLevel: 0 };
    }
    case 'font': {
      const subsetName = Object.keys(outputs).find((name) => name.endsWith('.subset.otf'));
      return {
        ...out,
        metrics: out.bytes.byteLength > 0 ? parseJson(out.bytes, out.label, 'font metrics') : out.metrics,
        atlas: outputs[out.meta.atlas] ?? out.atlas,
        subset: subsetName ? outputs[subsetName] : out.subset,
      };
    }
    case 'ui': {
      const rects = outputs[out.meta.rects];
      return { ...out, atlas: out.bytes, rects: rects ? parseJson(rects, out.label, 'UI rects') : out.rects };
    }
    case 'shader': {
      const variants = { ...out.variants };
      for (const { entry, raw } of whole) {
        if (!isShaderMeta(entry.meta)) throw new RuntimeError('corrupt', `${out.label}: ${entry.output} is not a shader variant`);
        variants[entry.meta.variant] = { name: entry.meta.variant, output: entry.output, bytes: raw, meta: entry.meta };
      }
      return { ...out, variants };
    }
    default:
      return out;
  }
}

function parseJson(raw: Uint8Array, label: string, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch (error) {
    throw new RuntimeError('corrupt', `${label}: ${what} is not JSON: ${(error as Error).message}`);
  }
}

/** Bytes the decoded asset holds in memory (each buffer once: `bytes` is also in `outputs`). */
export function memoryBytes(asset: LoadedAsset): number {
  const buffers = new Set<Uint8Array>(Object.values(asset.outputs));
  switch (asset.type) {
    case 'texture':
      for (const m of asset.mips) if (m) buffers.add(m.bytes);
      break;
    case 'model':
      for (const l of asset.lods) if (l) buffers.add(l);
      break;
    case 'audio':
      for (const c of asset.chunks) if (c) buffers.add(c);
      break;
    case 'data':
      if (asset.value instanceof Uint8Array) buffers.add(asset.value);
      else if (buffers.size === 0) return asset.byteLength;
      break;
    default:
      buffers.add(asset.bytes);
  }
  let total = 0;
  for (const b of buffers) total += b.byteLength;
  return total;
}

export function isTexture(asset: LoadedAsset): asset is LoadedTexture {
  return asset.type === 'texture';
}
