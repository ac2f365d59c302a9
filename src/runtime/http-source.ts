/**
 * Reads byte ranges over HTTP with `Range: bytes=a-b` (any static server or CDN), using fetch, so
 * it runs in browsers and in Node. A server that ignores the range (200) is accepted only when the
 * body holds the range; a short body is a `corrupt` error, a failed request an `io` error.
 */
import type { ByteSource } from './byte-source.js';
import { abortError, RuntimeError } from './runtime-error.js';

export interface HttpSourceOptions {
  /** Per-request timeout in milliseconds (default 30 000), so a stalled server is an error, not a hang. */
  timeoutMs?: number;
  /** Extra request headers (auth tokens…). */
  headers?: Record<string, string>;
  /** Override fetch (tests, instrumentation). */
  fetch?: typeof fetch;
}

export function httpSource(url: string | URL, options: HttpSourceOptions = {}): ByteSource {
  const href = String(url);
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const get = async (offset: number, length: number, signal?: AbortSignal): Promise<{ response: Response; body: Uint8Array }> => {
    if (signal?.aborted) throw abortError(signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await doFetch(href, { headers: { ...options.headers, Range: `bytes=${offset}-${offset + length - 1}` }, signal: combined });
      return { response, body: new Uint8Array(await response.arrayBuffer()) };
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      // fetch itself rejecting (not an HTTP status) means the server could not be reached
      throw new RuntimeError('offline', `${href}: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : (error as Error).message}`);
    }
  };
  const source: ByteSource = {
    name: href,
    async size(signal) {
      const { response, body } = await get(0, 1, signal);
      const total = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1];
      if (response.status === 206 && total !== undefined) return Number(total);
      if (response.status === 200) return body.byteLength;
      if (response.status === 416) return 0;
      throw new RuntimeError('io', `${href}: HTTP ${response.status}`);
    },
    async read(offset, length, signal) {
      if (length === 0) return new Uint8Array(0);
      const { response, body } = await get(offset, length, signal);
      if (response.status === 206) {
        if (body.byteLength !== length) throw new RuntimeError('corrupt', `${href}: asked for ${length} bytes at ${offset}, got ${body.byteLength}: truncated?`);
        return body;
      }
      if (response.status === 200) {
        if (offset + length > body.byteLength) throw new RuntimeError('corrupt', `${href}: ${body.byteLength} bytes, need ${offset + length}: truncated?`);
        return body.subarray(offset, offset + length);
      }
      if (response.status === 416) throw new RuntimeError('corrupt', `${href}: range ${offset}+${length} is past the end: truncated?`);
      throw new RuntimeError('io', `${href}: HTTP ${response.status}`);
    },
    // One range request for the whole run; each range is copied out so that a cached asset does
    // not keep the rest of the response alive (the network, not the copy, is what costs here).
    async readRanges(ranges, signal) {
      const first = ranges[0];
      const last = ranges[ranges.length - 1];
      if (!first || !last) return [];
      const span = await source.read(first.offset, last.offset + last.length - first.offset, signal);
      return ranges.map((r) => span.slice(r.offset - first.offset, r.offset - first.offset + r.length));
    },
    sibling(relativePath) {
      return httpSource(new URL(relativePath, href), options);
    },
  };
  return source;
}
