/**
 * The characters a font is cut down to: a named set, literal characters, and/or the characters of
 * a text file (e.g. the game's localized strings), as sorted unique code points. Control
 * characters never need a glyph and are dropped.
 */
export const NAMED_CHARSETS: Record<string, readonly [number, number][]> = {
  ascii: [[0x20, 0x7e]],
  latin1: [[0x20, 0x7e], [0xa0, 0xff]],
};

function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

export function codePointsOf(charset: string, fileText?: string): number[] {
  const out = new Set<number>();
  const named = NAMED_CHARSETS[charset];
  if (named) {
    for (const [from, to] of named) for (let cp = from; cp <= to; cp++) out.add(cp);
  } else {
    for (const ch of charset) out.add(ch.codePointAt(0)!);
  }
  for (const ch of fileText ?? '') out.add(ch.codePointAt(0)!);
  return [...out].filter((cp) => !isControl(cp)).sort((a, b) => a - b);
}
