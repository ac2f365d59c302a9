/** Cooker-side catalog reading (bundle rule, `kiln diff`): parse and verify the envelope hash. */
import { hashString } from '../hash/xxhash.js';
import { FormatError } from './format-error.js';
import { parseCatalog, type Catalog } from './catalog-format.js';

export function readCatalog(text: string): Catalog {
  const { catalog, hash, canonical } = parseCatalog(text);
  const actual = hashString(canonical);
  if (actual !== hash) throw new FormatError(`catalog checksum mismatch (${actual} ≠ ${hash}): the file is corrupt`);
  return catalog;
}
