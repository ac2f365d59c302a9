/**
 * A part: a piece of an output the runtime can fetch, verify and use on its own before the rest
 * arrives — a texture mip level, a model LOD, an audio chunk, or a header the others need. The one
 * part type of the whole contract: rules declare the layout, the engine hashes each part once when
 * the output is written, and the action cache, the bundle index, the catalog and the hot-reload
 * protocol carry that same record.
 */
import { FormatError } from './format-error.js';
import { intOf, objectOf, oneOf, stringOf, SHA256_HEX } from './json-reader.js';

export const PART_KINDS = ['header', 'mip', 'lod', 'chunk'] as const;
export type PartKind = (typeof PART_KINDS)[number];

export interface Part {
  kind: PartKind;
  /** Mip level (0 = full size), LOD (0 = finest) or chunk number (0 = first). */
  index: number;
  /** Byte offset inside the output's bytes (not inside a bundle: add the entry's offset there). */
  offset: number;
  size: number;
  /** SHA-256 (64 lowercase hex) of exactly these bytes. */
  hash: string;
}

/** What a rule declares when it writes an output: where each part lies. The engine adds `hash`. */
export type PartLayout = Omit<Part, 'hash'>;

/** Reads one untrusted part and checks it lies inside an output of `outputSize` bytes. */
export function readPart(value: unknown, where: string, outputSize: number): Part {
  const o = objectOf(value, where);
  const part: Part = {
    kind: oneOf(o.kind, PART_KINDS, `${where}.kind`),
    index: intOf(o.index, `${where}.index`),
    offset: intOf(o.offset, `${where}.offset`),
    size: intOf(o.size, `${where}.size`),
    hash: stringOf(o.hash, `${where}.hash`, SHA256_HEX),
  };
  if (part.offset + part.size > outputSize) throw new FormatError(`${where}: part ${part.kind} ${part.index} (${part.offset}+${part.size}) lies outside the ${outputSize}-byte output`);
  return part;
}

/** Parts match when kind, index, size and hash do: the bytes are the same wherever they sit. */
export function samePart(a: Part, b: Part): boolean {
  return a.kind === b.kind && a.index === b.index && a.size === b.size && a.hash === b.hash;
}

/** `kind:index`, the identity of a part across versions of one output. */
export function partKey(part: Pick<Part, 'kind' | 'index'>): string {
  return `${part.kind}:${part.index}`;
}
