import type { Agent as HttpAgent, IncomingHttpHeaders } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';
import type { RemoteTls } from './remote-tls.js';

// Loaded by the first transport, not on import: node:http and node:https (tls, net) cost ~10 ms
// of every build that imports the cache stack, a remote configured or not.
const require = createRequire(import.meta.url);
const httpModule = (): typeof import('node:http') => require('node:http') as typeof import('node:http');
const httpsModule = (): typeof import('node:https') => require('node:https') as typeof import('node:https');

export interface TransportResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Why a request failed, in words that read after "remote cache <url> …". */
export class TransportError extends Error {}

/**
 * One HTTP exchange with the whole body read, over keep-alive agents. Node's `fetch` was
 * measured here at 2000 small GETs, 8 in flight, against nginx: warm, 360–690 ms with fetch
 * vs 180–270 ms with node:http — the remote path of a no-op CI build is thousands of these.
 * Idle pooled sockets are unref'd by the agent, so they never keep the process alive.
 */
export class RemoteHttpTransport {
  readonly #http: HttpAgent = new (httpModule().Agent)({ keepAlive: true, maxSockets: 16 });
  readonly #https: HttpsAgent;

  /** `tls`: CA roots and a client pair (mTLS) for https:// (see remote-tls.ts). */
  constructor(tls: RemoteTls = {}) {
    this.#https = new (httpsModule().Agent)({ keepAlive: true, maxSockets: 16, ...tls });
  }

  /**
   * `timeoutMs` is an inactivity limit for downloads: it restarts whenever bytes arrive, so a big
   * blob on a slow link finishes while a server that stops sending is dropped after `timeoutMs`,
   * whatever size anyone declared. Uploads (whose real size is in hand) get `timeoutMs` plus one
   * second per MiB. `maxBytes` caps the response body: a longer declared or actual body aborts
   * the exchange before it is buffered, so an endless body costs at most `maxBytes` of memory.
   */
  send(
    method: 'GET' | 'PUT' | 'HEAD',
    url: string,
    headers: Record<string, string>,
    body: Uint8Array | undefined,
    timeoutMs: number,
    cancel?: AbortSignal,
    maxBytes: number = DEFAULT_MAX_BODY,
  ): Promise<TransportResponse> {
    const uploadMs = body === undefined ? 0 : Math.ceil(body.byteLength / (1 << 20)) * 1000;
    const timeout = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let limitMs = timeoutMs + uploadMs;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => timeout.abort(new TransportError(`timed out after ${limitMs} ms`)), limitMs);
    };
    const signal = cancel ? AbortSignal.any([timeout.signal, cancel]) : timeout.signal;
    const https = url.startsWith('https:');
    const requestHeaders: Record<string, string> = { ...headers };
    if (body !== undefined) requestHeaders['content-length'] = String(body.byteLength);
    arm();
    return new Promise<TransportResponse>((resolve, reject) => {
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(explain(error, timeout.signal));
      };
      const request = (https ? httpsModule().request : httpModule().request)(
        url,
        { method, headers: requestHeaders, agent: https ? this.#https : this.#http, signal },
        (response) => {
          // From here on the clock measures silence, not the whole transfer.
          limitMs = timeoutMs;
          arm();
          const declared = response.headers['content-length'];
          // The caller's cap is for the body it asked for; a 404 page or other answer gets a
          // small fixed allowance instead (it is read only to keep the connection reusable).
          const status = response.statusCode ?? 0;
          const cap = status >= 200 && status < 300 ? maxBytes : ERROR_BODY_CAP;
          // A HEAD answer declares the size of a body it never sends.
          if (method !== 'HEAD' && declared !== undefined && Number(declared) > cap) {
            response.destroy();
            fail(new TransportError(`declared a ${declared}-byte body where at most ${cap} bytes are allowed`));
            return;
          }
          const chunks: Buffer[] = [];
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.byteLength;
            if (received > cap) {
              response.destroy();
              fail(new TransportError(`sent more than ${cap} bytes (body cap)`));
              return;
            }
            chunks.push(chunk);
            arm();
          });
          response.on('error', fail);
          response.on('close', () => {
            if (!response.complete) {
              fail(timeout.signal.aborted ? timeout.signal.reason : new TransportError('closed the connection early (truncated body)'));
              return;
            }
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
          });
        },
      );
      request.on('error', fail);
      request.end(body);
    });
  }
}

/** Without a cap from the caller (HEAD, PUT answers, error pages): bodies kiln never uses. */
const DEFAULT_MAX_BODY = 1 << 20;
/** What a non-2xx answer (error page) may carry. */
const ERROR_BODY_CAP = 64 * 1024;

function explain(error: unknown, timeout: AbortSignal): Error {
  if (error instanceof TransportError) return error;
  if (timeout.aborted && timeout.reason instanceof TransportError) return timeout.reason;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNRESET' || code === 'EPIPE') return new TransportError(`closed the connection early (${code})`);
  if (typeof code === 'string') return new TransportError(`unreachable (${code})`);
  return new TransportError(`failed (${error instanceof Error ? error.message : String(error)})`);
}
