/** Input formats are recognised by their first bytes, never by the file extension (a `.jpg` may hold a PNG). */
export type InputKind = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'dds' | 'ktx2' | 'ktx1' | 'unknown';

const starts = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b);

export function sniffInput(bytes: Uint8Array): InputKind {
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(bytes, [0x52, 0x49, 0x46, 0x46]) && starts(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (starts(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (starts(bytes, [0x49, 0x49, 0x2a, 0x00]) || starts(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (starts(bytes, [0x44, 0x44, 0x53, 0x20])) return 'dds';
  if (starts(bytes, [0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb])) return 'ktx2';
  if (starts(bytes, [0xab, 0x4b, 0x54, 0x58, 0x20, 0x31, 0x31, 0xbb])) return 'ktx1';
  return 'unknown';
}

/** Extension-based guess, only used to word the error for files that are not images at all. */
export function looksLikeDds(path: string): boolean {
  return /\.dds$/i.test(path);
}
