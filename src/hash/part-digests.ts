import type { Part, PartLayout } from '../format/part.js';
import { sha256Hex } from './digest.js';

/**
 * The one place parts are hashed: when a rule writes an output (`ActionContext.output`). Every
 * later reader — bundles, the catalog, hot reload — uses the digests recorded then.
 */
export function hashParts(bytes: Uint8Array, layout: readonly PartLayout[], output: string): Part[] {
  return layout.map(({ kind, index, offset, size }) => {
    if (![index, offset, size].every(Number.isSafeInteger) || index < 0 || offset < 0 || size < 0 || offset + size > bytes.byteLength) {
      throw new Error(`output ${output}: part ${kind} ${index} (${offset}+${size}) lies outside the ${bytes.byteLength}-byte output`);
    }
    return { kind, index, offset, size, hash: sha256Hex(bytes.subarray(offset, offset + size)) };
  });
}
