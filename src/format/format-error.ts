/** A bundle, index or catalog that is not what it claims to be (truncated, corrupt, wrong version). */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}
