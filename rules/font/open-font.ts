/**
 * opentype.js, loaded lazily. It is CommonJS whose named exports Node cannot see from ESM, so the
 * API is on `default` at run time while its types describe named exports.
 */
import type * as OpenType from 'opentype.js';
import { RuleError } from '../../src/rule/rule-error.js';

export type OpenTypeApi = typeof OpenType;

export async function loadOpenType(): Promise<OpenTypeApi> {
  const mod = await import('opentype.js');
  return ((mod as unknown as { default?: OpenTypeApi }).default ?? mod) as OpenTypeApi;
}

export function parseFont(ot: OpenTypeApi, bytes: Uint8Array, file: string): OpenType.Font {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let font: OpenType.Font;
  try {
    font = ot.parse(buffer);
  } catch (error) {
    throw new RuleError(`not a readable TrueType/OpenType font: ${(error as Error).message}`, { file });
  }
  if (!font.unitsPerEm || font.glyphs.length === 0) throw new RuleError('font has no glyphs or no unitsPerEm', { file });
  return font;
}

/** Pair kerning from GPOS (Latin script, then default) or the legacy `kern` table, in font units. */
export function kerningLookup(font: OpenType.Font): (left: number, right: number) => number {
  interface Position {
    getKerningTables(script: string): unknown[] | undefined;
    getKerningValue(tables: unknown[], left: number, right: number): number;
  }
  const position = (font as unknown as { position?: Position }).position;
  const tables = position?.getKerningTables('latn') ?? position?.getKerningTables('DFLT');
  if (position && tables && tables.length > 0) return (l, r) => position.getKerningValue(tables, l, r);
  const pairs = (font as unknown as { kerningPairs?: Record<string, number> }).kerningPairs ?? {};
  return (l, r) => pairs[`${l},${r}`] ?? 0;
}
