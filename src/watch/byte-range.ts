/**
 * Parses a single HTTP `Range: bytes=…` header against a blob size (the runtime's httpSource asks
 * for one range per read). Multi-range requests are answered with the whole blob, which RFC 9110
 * allows. A syntactically invalid range (`bytes=10-5`) is ignored, as RFC 9110 §14.2 says, and
 * answered with the whole blob; only a valid range that starts past the end is unsatisfiable.
 */
export type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
