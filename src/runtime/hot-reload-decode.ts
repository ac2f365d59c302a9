/**
 * Decodes a version announced by the watch server with the same code the bundle reader uses:
 * the main output blob is presented as a one-entry bundle (offset 0, uncompressed, its streaming
 * parts as they are in the blob), so hot-reloaded assets are exactly what a bundle would give.
 */
import type { IndexAsset, IndexEntry } from '../bundle/index-format.js';
import { applyPart, decodeParts, decodeWhole } from './asset-decoder.js';
import type { AssetVersion, OutputVersion } from './hot-reload-protocol.js';
import type { LoadedAsset } from './loaded-asset.js';

export function digestParts(key: string): { hash: string; size: number } {
  const dash = key.lastIndexOf('-');
  return { hash: key.slice(0, dash), size: Number(key.slice(dash + 1)) };
}

function entryOf(version: AssetVersion, output: OutputVersion): { asset: IndexAsset; entry: IndexEntry } {
  const path = `assets/${version.assetId}/${output.name}`;
  const digest = digestParts(output.digest);
  return {
    asset: { id: version.assetId, label: version.label, type: version.assetType, priority: version.priority, deps: [], entries: [path] },
    entry: { path, asset: version.assetId, output: output.name, offset: 0, size: output.size, stored: digest, compression: 'none', raw: digest, parts: output.parts, meta: output.meta },
  };
}

/** The asset from the whole main-output blob (already verified against its digest). */
export function decodeVersion(version: AssetVersion, bytes: Uint8Array): LoadedAsset {
  const main = version.outputs[0];
  if (!main) throw new Error(`${version.label} has no outputs`);
  const { asset, entry } = entryOf(version, main);
  return entry.parts.length > 0 ? decodeParts(asset, entry, [{ entry, raw: bytes }]) : decodeWhole(asset, entry, bytes);
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

/** `previous` with the given parts (verified bytes) replaced: a new object, the old one untouched. */
export function patchParts(previous: LoadedAsset, next: OutputVersion, parts: { index: number; bytes: Uint8Array }[]): LoadedAsset {
  let asset = previous;
  for (const { index, bytes } of parts) asset = applyPart(asset, next.parts[index]!, bytes);
  return asset;
}
