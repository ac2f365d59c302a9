/**
 * Decodes a version announced by the watch server with the same code the bundle reader uses:
 * every output blob is presented as one entry of a bundle (offset 0, uncompressed, its streaming
 * parts as they are in the blob), so a hot-reloaded asset is exactly what `load()` on a bundle
 * gives — all LODs, variants, atlas and rects — and never less than the runtime already holds.
 */
import type { IndexAsset, IndexEntry } from '../bundle/index-format.js';
import { decodeAsset } from './asset-decoder.js';
import type { AssetVersion, OutputVersion } from './hot-reload-protocol.js';
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

/**
 * Whether `next` can be built from `previous` by swapping only changed parts: same streaming
 * layout and the same facts (size, format), so every unchanged mip/LOD/chunk is still right.
 */
export function samePartLayout(previous: OutputVersion, next: OutputVersion): boolean {
  if (previous.parts.length === 0 || previous.parts.length !== next.parts.length) return false;
  if (JSON.stringify(previous.meta) !== JSON.stringify(next.meta)) return false;
  return previous.parts.every((p, i) => {
    const q = next.parts[i]!;
    return p.kind === q.kind && p.index === q.index && p.offset === q.offset && p.size === q.size;
  });
}

/** Indexes of `next`'s parts whose bytes differ from `previous` (same layout assumed). */
export function changedPartIndexes(previous: OutputVersion, next: OutputVersion): number[] {
  return next.parts.flatMap((part, i) => (previous.parts[i]!.hash === part.hash ? [] : [i]));
}

/** A copy of `previous` bytes with the given parts (verified bytes) written over their ranges. */
export function patchBlob(previous: Uint8Array, next: OutputVersion, parts: { index: number; bytes: Uint8Array }[]): Uint8Array {
  const out = previous.slice();
  for (const { index, bytes } of parts) out.set(bytes, next.parts[index]!.offset);
  return out;
}
