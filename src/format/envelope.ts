/**
 * Indexes and catalogs travel as a small JSON envelope: `{ kind, version, hash, body }` where
 * `hash` is the SHA-256 of the canonical JSON of `body`. A reader recomputes it, so a flipped byte
 * anywhere in the document is an error rather than a wrong offset or a wrong width.
 * Parsing is here (browser-safe); hashing is done by whoever reads (runtime) or writes (cooker).
 */
import { canonicalJson } from './canonical-json.js';
import { FormatError } from './format-error.js';
import { intOf, objectOf, stringOf } from './json-reader.js';

export interface Envelope {
  kind: string;
  version: number;
  hash: string;
  body: unknown;
  /** Canonical JSON of `body`: the text `hash` must be the SHA-256 of. */
  canonical: string;
}

export function parseEnvelope(text: string, kind: string, version: number): Envelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`${kind}: not valid JSON (${(error as Error).message})`);
  }
  const o = objectOf(parsed, kind);
  const actualKind = stringOf(o.kind, `${kind}.kind`);
  if (actualKind !== kind) throw new FormatError(`expected a ${kind}, got a ${actualKind}`);
  const actualVersion = intOf(o.version, `${kind}.version`);
  if (actualVersion !== version) throw new FormatError(`${kind} version ${actualVersion} is not supported (expected ${version})`);
  return { kind, version, hash: stringOf(o.hash, `${kind}.hash`, /^[0-9a-f]{64}$/), body: o.body, canonical: canonicalJson(o.body) };
}

/** The exact text whose SHA-256 is the envelope hash: canonical JSON (sorted keys, no spaces). */
export function canonicalBodyText(body: unknown): string {
  return canonicalJson(body);
}
