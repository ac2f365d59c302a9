/**
 * Reads byte ranges over HTTP with `Range: bytes=a-b` (any static server or CDN), using fetch, so
 * it runs in browsers and in Node. No response is trusted to be the size asked for: bodies are
 * read chunk by chunk and the request is aborted as soon as it goes past what was requested. A
 * server that ignores the range (200) is read only up to the end of the range, then cut off; a
 * 206 longer than the range, or a short body, is a `corrupt` error, a failed request an `io` error.
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

/** What one range request brought back: at most `keep` bytes of the body. */
interface RangeAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** The server had more than `keep` bytes to send (cut off). */
  overflow: boolean;
}

export function httpSource(url: string | URL, options: HttpSourceOptions = {}): ByteSource {
  const href = String(url);
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  /** `keep(status)`: how many body bytes are worth reading for that status. */
  const get = async (offset: number, length: number, keep: (status: number) => number, signal?: AbortSignal): Promise<RangeAnswer> => {
    if (signal?.aborted) throw abortError(signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const cutOff = new AbortController();
    const combined = AbortSignal.any([timeout, cutOff.signal, ...(signal ? [signal] : [])]);
    try {
      const response = await doFetch(href, { headers: { ...options.headers, Range: `bytes=${offset}-${offset + length - 1}` }, signal: combined });
      const answer = await readAtMost(response, keep(response.status));
      // Stop the transfer: a server streaming a whole bundle for one range must not keep going.
      if (answer.overflow) cutOff.abort();
      return answer;
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      // fetch itself rejecting (not an HTTP status) means the server could not be reached
      throw new RuntimeError('offline', `${href}: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : (error as Error).message}`);
    }
  };
  const source: ByteSource = {
    name: href,
    async size(signal) {
      const response = await get(0, 1, (status) => (status === 206 ? 1 : 0), signal);
      const total = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1];
      if (response.status === 206 && total !== undefined) return Number(total);
      if (response.status === 200) {
        // A server ignoring Range: only a declared length says how big the file is (reading the
        // body to find out could be endless).
        const declared = Number(response.headers.get('content-length') ?? Number.NaN);
        if (Number.isSafeInteger(declared) && declared >= 0) return declared;
        throw new RuntimeError('io', `${href}: server ignores Range and sends no Content-Length: size unknown`);
      }
      if (response.status === 416) return 0;
      throw new RuntimeError('io', `${href}: HTTP ${response.status}`);
    },
    async read(offset, length, signal) {
      if (length === 0) return new Uint8Array(0);
      const response = await get(offset, length, (status) => (status === 206 ? length : status === 200 ? offset + length : 0), signal);
      if (response.status === 206) {
        if (response.overflow) throw new RuntimeError('corrupt', `${href}: asked for ${length} bytes at ${offset}, the server sent more`);
        if (response.body.byteLength !== length) throw new RuntimeError('corrupt', `${href}: asked for ${length} bytes at ${offset}, got ${response.body.byteLength}: truncated?`);
        return response.body;
      }
      if (response.status === 200) {
        if (offset + length > response.body.byteLength) throw new RuntimeError('corrupt', `${href}: ${response.body.byteLength} bytes, need ${offset + length}: truncated?`);
        return response.body.subarray(offset, offset + length);
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

/**
 * The first `keep` bytes of a body into one buffer of that size (never more memory than asked
 * for), and whether the body had more. A declared Content-Length over `keep` is not waited for.
 */
async function readAtMost(response: Response, keep: number): Promise<RangeAnswer> {
  const base = { status: response.status, headers: response.headers };
  const reader = response.body?.getReader();
  if (!reader) return { ...base, body: new Uint8Array(0), overflow: false };
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const out = new Uint8Array(Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, keep) : keep);
  let filled = 0;
  let overflow = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = keep - filled;
    if (value.byteLength > room) {
      overflow = true;
      if (filled + room > out.byteLength) break;
      out.set(value.subarray(0, room), filled);
      filled += room;
      break;
    }
    if (filled + value.byteLength > out.byteLength) {
      // More than the declared length arrived: a lying server; keep what fits in `keep`.
      overflow = true;
      break;
    }
    out.set(value, filled);
    filled += value.byteLength;
  }
  if (overflow) await reader.cancel().catch(() => undefined);
  return { ...base, body: filled === out.byteLength ? out : out.subarray(0, filled), overflow };
}
