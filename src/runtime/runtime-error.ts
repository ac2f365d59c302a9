/**
 * Every failure the reader reports. `code` says what to do about it: `corrupt` (bytes do not
 * match their digest, a truncated or malformed bundle: never retried into wrong data),
 * `not-found` (no such asset), `external` (the asset lives in another bundle: open the catalog),
 * `io` (the byte source failed), `aborted` (the caller cancelled), `offline` (the source is
 * unreachable and the disk cache does not hold what was asked for).
 */
export type RuntimeErrorCode = 'corrupt' | 'not-found' | 'external' | 'io' | 'aborted' | 'offline';

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function abortError(signal?: AbortSignal): RuntimeError {
  const reason = signal?.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new RuntimeError('aborted', `aborted${reason}`);
}
