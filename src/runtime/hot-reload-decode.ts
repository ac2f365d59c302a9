/**
 * Decodes a version announced by the watch server with the same code the bundle reader uses:
 * every output blob is presented as one entry of a bundle (offset 0, uncompressed, its streaming
 * parts as they are in the blob), so a hot-reloaded asset is exactly what `load()` on a bundle
 * gives — all LODs, variants, atlas and rects — and never less than the runtime already holds.
 */
import type { IndexAsset, IndexEntry } from '../format/index-format.js';
import { decodeAsset } from './asset-decoder.js';
import type { AssetVersion, OutputVersion } from '../format/hot-reload-protocol.js';
import type { LoadedAsset } from './loaded-asset.js';

export function digestParts(key: string): { hash: string; size: number } {
  const dash = key.lastIndexOf('-');
  return { hash: key.slice(0, dash), size: Number(key.slice(dash + 1)) };
}

function entryOf(version: AssetVersion, output: OutputVersion): IndexEntry {
  const path = `assets/${version.assetId}/${output.name}`;
  const digest = digestParts(output.digest);
  return { path, asset: version.assetId, output: output.name, offset: 0, size: output.size, stored: digest, compression: 'none', raw: digest, parts: output.parts, meta: output.meta };
}

/** The whole asset from the verified bytes of every output, by output name. */
export function decodeVersion(version: AssetVersion, blobs: ReadonlyMap<string, Uint8Array>): LoadedAsset {
  if (version.outputs.length === 0) throw new Error(`${version.label} has no outputs`);
  const entries = version.outputs.map((output) => {
    const raw = blobs.get(output.name);
    if (!raw) throw new Error(`${version.label}: output ${output.name} was not fetched`);
    return { entry: entryOf(version, output), raw };
  });
  const asset: IndexAsset = { id: version.assetId, label: version.label, type: version.assetType, priority: version.priority, deps: [], entries: entries.map((e) => e.entry.path) };
  return decodeAsset(asset, entries);
}

/** How to build a new output blob from the held one: which parts to fetch, and how to assemble. */
export interface PatchPlan {
  /** Indexes into `next.parts` whose bytes must be fetched. */
  fetch: number[];
  /** The new blob: unchanged parts copied from the held bytes (wherever they now sit), fetched parts written in. */
  assemble(fetched: ReadonlyMap<number, Uint8Array>): Uint8Array;
}

/**
 * Plans a partial update of one output: every part of `next` whose hash equals the held
 * version's part of the same kind and index is copied from the held bytes (even when it moved,
 * e.g. after an earlier audio chunk grew), the rest is fetched by range; bytes outside every part
 * are copied from the same offset. The caller checks the result against the output's digest and
 * fetches the whole blob when it does not match. Undefined when nothing would be saved.
 */
export function planPatch(previous: { output: OutputVersion; bytes: Uint8Array }, next: OutputVersion): PatchPlan | undefined {
  if (next.parts.length === 0 || previous.output.parts.length === 0) return undefined;
  const held = new Map(previous.output.parts.map((p) => [`${p.kind}:${p.index}`, p]));
  const reuse = next.parts.map((part) => {
    const before = held.get(`${part.kind}:${part.index}`);
    return before && before.hash === part.hash && before.size === part.size && before.offset + before.size <= previous.bytes.byteLength ? before : undefined;
  });
  const fetch = next.parts.flatMap((_, i) => (reuse[i] ? [] : [i]));
  if (fetch.length === next.parts.length) return undefined;
  return {
    fetch,
    assemble(fetched) {
      const out = new Uint8Array(next.size);
      out.set(previous.bytes.subarray(0, Math.min(next.size, previous.bytes.byteLength)));
      next.parts.forEach((part, i) => {
        const from = reuse[i];
        const bytes = from ? previous.bytes.subarray(from.offset, from.offset + from.size) : fetched.get(i);
        if (bytes && part.offset + bytes.byteLength <= out.byteLength) out.set(bytes, part.offset);
      });
      return out;
    },
  };
}
