/**
 * Synthetic cooked outputs shaped like the real rules' (texture: KTX2-like, smallest mips first,
 * parts of kind 'mip'; model: one LOD per part, coarsest first; audio: chunks; data: JSON), each
 * with the typed meta its rule writes, parts hashed as the engine hashes them, and real pixel data
 * so the browser page can draw each mip.
 */
import { digestKey, digestOf } from '../../../src/hash/digest.js';
import type { AssetType, LoadPriority } from '../../../src/format/asset-type.js';
import type { DepInfo } from '../../../src/rule/context.js';
import type { ModelMeta } from '../../../src/format/model-meta.js';
import { hashParts } from '../../../src/hash/part-digests.js';
import type { OutputMeta, PartLayout } from '../../../src/rule/output.js';
import { assetIdOf } from '../../../src/workspace/label.js';

export interface Synthetic {
  dep: DepInfo;
  blobs: Map<string, Uint8Array>;
}

export function dep(label: string, rule: string, type: AssetType, priority: LoadPriority, outputs: { name: string; bytes: Uint8Array; meta: OutputMeta }[], deps: string[] = []): Synthetic {
  const blobs = new Map<string, Uint8Array>();
  const records = outputs.map((o) => {
    const digest = digestOf(o.bytes);
    blobs.set(digestKey(digest), o.bytes);
    const { parts = [], ...meta } = o.meta;
    return { name: o.name, digest, meta, parts: hashParts(o.bytes, parts, o.name) };
  });
  return { dep: { label, rule, type, assetId: assetIdOf(label), priority, outputs: records, srcs: [], deps }, blobs };
}

/** RGBA8 pixels of mip `level` of a `size`² texture: a seeded pattern, box-filtered down. */
export function mipPixels(size: number, level: number, seed: number): Uint8Array {
  const full = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const checker = ((x >> 2) + (y >> 2) + seed) % 2 === 0;
      full[i] = checker ? 240 : (x * 255) / size;
      full[i + 1] = checker ? 200 : (y * 255) / size;
      full[i + 2] = (seed * 53) % 256;
      full[i + 3] = 255;
    }
  }
  let current = full;
  let width = size;
  for (let l = 0; l < level; l++) {
    const half = Math.max(1, width >> 1);
    const next = new Uint8Array(half * half * 4);
    for (let y = 0; y < half; y++) {
      for (let x = 0; x < half; x++) {
        for (let c = 0; c < 4; c++) {
          const at = (yy: number, xx: number) => current[(Math.min(yy, width - 1) * width + Math.min(xx, width - 1)) * 4 + c]!;
          next[(y * half + x) * 4 + c] = (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) >> 2;
        }
      }
    }
    current = next;
    width = half;
  }
  return current;
}

/** A KTX2-shaped texture: an 80-byte header, then mips smallest first; meta as the texture rule writes it. */
export function texture(label: string, options: { size?: number; priority?: LoadPriority; seed?: number; deps?: string[] } = {}): Synthetic {
  const size = options.size ?? 64;
  const seed = options.seed ?? 1;
  const mipCount = Math.log2(size) + 1;
  const header = new Uint8Array(80);
  header.set(new TextEncoder().encode('«KTX 20»'), 0);
  const mips = Array.from({ length: mipCount }, (_, level) => mipPixels(size, level, seed));
  const total = header.byteLength + mips.reduce((n, m) => n + m.byteLength, 0);
  const bytes = new Uint8Array(total);
  bytes.set(header, 0);
  const parts: PartLayout[] = [];
  let at = header.byteLength;
  for (let level = mipCount - 1; level >= 0; level--) {
    bytes.set(mips[level]!, at);
    parts.push({ kind: 'mip', index: level, offset: at, size: mips[level]!.byteLength });
    at += mips[level]!.byteLength;
  }
  const name = `${label.slice(label.indexOf(':') + 1)}.ktx2`;
  const meta: OutputMeta = { width: size, height: size, format: 'rgba8', vkFormat: 37, mipCount, gpuBytes: total - header.byteLength, colorSpace: 'srgb', container: 'ktx2', alpha: false, parts };
  return dep(label, 'texture', 'texture', options.priority ?? 'normal', [{ name, bytes, meta }], options.deps);
}

/** A model with one GLB-ish blob per LOD (coarsest stored first), plus deps (e.g. its textures). */
export function model(label: string, options: { lods?: number; priority?: LoadPriority; deps?: string[] } = {}): Synthetic {
  const lods = options.lods ?? 3;
  const blobs: Uint8Array[] = [];
  for (let lod = 0; lod < lods; lod++) {
    const body = new TextEncoder().encode(`glTF${label}#LOD${lod}`.padEnd(2000 >> lod, '.'));
    blobs.push(body);
  }
  const bytes = new Uint8Array(blobs.reduce((n, b) => n + b.byteLength, 0));
  const parts: PartLayout[] = [];
  let at = 0;
  for (let lod = lods - 1; lod >= 0; lod--) {
    bytes.set(blobs[lod]!, at);
    parts.push({ kind: 'lod', index: lod, offset: at, size: blobs[lod]!.byteLength });
    at += blobs[lod]!.byteLength;
  }
  const name = `${label.slice(label.indexOf(':') + 1)}.glb`;
  return dep(label, 'model', 'model', options.priority ?? 'normal', [{ name, bytes, meta: { ...modelMeta(0, lods), parts } }], options.deps);
}

/** A model as the model rule writes it: one GLB output per LOD (`duck.glb`, `duck.lod1.glb`, …), each one `lod` part. */
export function lodModel(label: string, options: { lods?: number; priority?: LoadPriority; deps?: string[] } = {}): Synthetic {
  const base = label.slice(label.indexOf(':') + 1);
  const outputs = Array.from({ length: options.lods ?? 3 }, (_, lod) => {
    const bytes = new TextEncoder().encode(`glTF${label}#LOD${lod}`.padEnd(3000 >> lod, '~'));
    const parts: PartLayout[] = [{ kind: 'lod', index: lod, offset: 0, size: bytes.byteLength }];
    return { name: lod === 0 ? `${base}.glb` : `${base}.lod${lod}.glb`, bytes, meta: { ...modelMeta(lod, options.lods ?? 3), parts } };
  });
  return dep(label, 'model', 'model', options.priority ?? 'normal', outputs, options.deps);
}

/** A model LOD's meta as the model rule writes it (counts are placeholders of the right type). */
function modelMeta(lod: number, lodCount: number): ModelMeta {
  return { lod, lodCount, ratio: 1 / 2 ** lod, error: 0, triangles: 100 >> lod, vertices: 300 >> lod, bounds: null, meshopt: false, textureRefs: [] };
}

/** Canonical JSON data (compresses well). */
export function data(label: string, value: unknown, options: { priority?: LoadPriority; deps?: string[] } = {}): Synthetic {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return dep(label, 'data', 'data', options.priority ?? 'normal', [{ name: `${label.slice(label.indexOf(':') + 1)}.json`, bytes, meta: { refs: {} } }], options.deps);
}

/** Audio in fixed-size chunks. */
export function audio(label: string, options: { chunks?: number; priority?: LoadPriority } = {}): Synthetic {
  const chunks = options.chunks ?? 4;
  const bytes = new Uint8Array(chunks * 1000);
  let state = 7;
  for (let i = 0; i < bytes.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  const parts: PartLayout[] = Array.from({ length: chunks }, (_, i) => ({ kind: 'chunk' as const, index: i, offset: i * 1000, size: 1000 }));
  return dep(label, 'audio', 'audio', options.priority ?? 'normal', [{ name: `${label.slice(label.indexOf(':') + 1)}.ogg`, bytes, meta: { codec: 'opus', container: 'ogg', sampleRate: 48000, channels: 1, frames: chunks * 48000, durationSeconds: chunks, chunkSeconds: 1, chunkFrames: parts.map(() => 48000), gainDb: 0, parts } }]);
}

/** Random (incompressible) bytes, copied as the files rule copies them. */
export function blob(label: string, size: number, priority: LoadPriority = 'normal'): Synthetic {
  const bytes = new Uint8Array(size);
  let state = size;
  for (let i = 0; i < size; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  const name = `${label.slice(label.indexOf(':') + 1)}.bin`;
  return dep(label, 'files', 'files', priority, [{ name, bytes, meta: { source: name } }]);
}

/** Merges synthetic assets into a closure (in the given order) and one blob map. */
export function closureOf(...assets: Synthetic[]): { closure: DepInfo[]; blobs: Map<string, Uint8Array> } {
  const blobs = new Map<string, Uint8Array>();
  for (const a of assets) for (const [k, v] of a.blobs) blobs.set(k, v);
  return { closure: assets.map((a) => a.dep), blobs };
}

/** The standard little forest level used by several tests. */
export function forestLevel(): Synthetic[] {
  return [
    texture('//levels/forest:bark', { size: 64, priority: 'high', seed: 1 }),
    texture('//levels/forest:leaves', { size: 32, priority: 'normal', seed: 2 }),
    model('//levels/forest:oak', { priority: 'normal', deps: ['//levels/forest:bark', '//levels/forest:leaves'] }),
    data('//levels/forest:level', { name: 'forest', spawn: [1, 2, 3], trees: Array.from({ length: 200 }, (_, i) => ({ i, kind: 'oak' })) }, { priority: 'critical' }),
    audio('//levels/forest:wind', { chunks: 4, priority: 'low' }),
    lodModel('//levels/forest:duck', { deps: ['//levels/forest:leaves'] }),
  ];
}
