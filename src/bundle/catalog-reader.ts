/** Cooker-side catalog reading (bundle rule, `kiln diff`): parse and verify the envelope hash. */
import { sha256Hex } from '../hash/digest.js';
import { FormatError } from '../format/format-error.js';
import { parseCatalog, type Catalog } from '../format/catalog-format.js';

export function readCatalog(text: string): Catalog {
  const { catalog, hash, canonical } = parseCatalog(text);
  const actual = sha256Hex(canonical);
  if (actual !== hash) throw new FormatError(`catalog checksum mismatch (${actual} ≠ ${hash}): the file is corrupt`);
  return catalog;
}
