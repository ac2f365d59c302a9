import type { RemoteHealth } from './remote-health.js';
import { RemoteHttpTransport, TransportError, type TransportResponse } from './remote-http-transport.js';
import type { RemoteMetrics } from './remote-metrics.js';

export interface RemoteHttpClientOptions {
  /** Base URL without credentials, ending in `/` (see `parseRemoteUrl`). */
  base: string;
  /** Query string (with `?`) to append to every request, or ''. Some proxies want `?token=`. */
  query?: string;
  /** Per-request inactivity timeout (see `RemoteHttpTransport.send`); uploads get one extra second per MiB. */
  timeoutMs: number;
  /** Sent with every request (Authorization, custom headers). Never printed. */
  headers: Record<string, string>;
  health: RemoteHealth;
  metrics: RemoteMetrics;
  /** Shared keep-alive connection pools; one per stack by default. */
  transport?: RemoteHttpTransport;
}

/**
 * The largest blob kiln downloads (and Node can hold in one Buffer). A cache entry claiming a
 * 100 GB output is a miss: the target re-cooks locally instead of waiting a day for it.
 */
export const MAX_BLOB_BYTES = 2 ** 31 - 1;
/** Body cap for requests whose caller gave none. */
const DEFAULT_GET_CAP = 1 << 20;

export type RemoteGet = { kind: 'hit'; body: Uint8Array } | { kind: 'miss' } | { kind: 'failed' };

/**
 * GET/PUT/HEAD against the Bazel HTTP cache layout. Never throws: every failure is reported to
 * the breaker (which prints the one warning) and comes back as `failed`, which callers treat as
 * a miss.
 */
export class RemoteHttpClient {
  readonly #options: RemoteHttpClientOptions;
  readonly #transport: RemoteHttpTransport;

  constructor(options: RemoteHttpClientOptions) {
    this.#options = options;
    this.#transport = options.transport ?? new RemoteHttpTransport();
  }

  get available(): boolean {
    return this.#options.health.available;
  }

  /**
   * `expectedSize` (a blob's digest size) is also the body cap; without it, `maxBytes` is. A blob
   * declared larger than `MAX_BLOB_BYTES` is not even requested: sizes in entries are not trusted.
   */
  async get(path: string, expectedSize?: number, maxBytes?: number, headers?: Record<string, string>): Promise<RemoteGet> {
    if (expectedSize !== undefined && (!Number.isSafeInteger(expectedSize) || expectedSize < 0 || expectedSize > MAX_BLOB_BYTES)) {
      return { kind: 'miss' };
    }
    const response = await this.#request('GET', path, undefined, expectedSize ?? maxBytes ?? DEFAULT_GET_CAP, undefined, headers);
    if (response === undefined) return { kind: 'failed' };
    if (response.status === 404) {
      this.#options.health.succeeded();
      return { kind: 'miss' };
    }
    if (response.status !== 200) return this.#failStatus(response);
    const declared = response.headers['content-length'];
    if (declared !== undefined && Number(declared) !== response.body.byteLength) {
      this.#fail(`sent a truncated body (${response.body.byteLength} of ${declared} bytes)`);
      return { kind: 'failed' };
    }
    this.#options.metrics.bytesDown += response.body.byteLength;
    this.#options.health.succeeded();
    const body = response.body;
    return { kind: 'hit', body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  }

  /** `undefined` means "could not tell" (failure); callers treat it as absent. */
  async head(path: string): Promise<boolean | undefined> {
    const response = await this.#request('HEAD', path, undefined, 0);
    if (response === undefined) return undefined;
    if (response.status === 200 || response.status === 404) {
      this.#options.health.succeeded();
      return response.status === 200;
    }
    this.#failStatus(response);
    return undefined;
  }

  /** `headers` adds per-request headers (a content type); the configured ones win. */
  async put(path: string, body: Uint8Array, signal?: AbortSignal, headers?: Record<string, string>): Promise<boolean> {
    const response = await this.#request('PUT', path, body, DEFAULT_GET_CAP, signal, headers);
    if (response === undefined) return false;
    if (response.status < 200 || response.status > 299) {
      this.#failStatus(response);
      return false;
    }
    this.#options.metrics.bytesUp += body.byteLength;
    this.#options.health.succeeded();
    return true;
  }

  async #request(
    method: 'GET' | 'PUT' | 'HEAD',
    path: string,
    body: Uint8Array | undefined,
    maxBytes: number,
    cancel?: AbortSignal,
    headers?: Record<string, string>,
  ): Promise<TransportResponse | undefined> {
    if (!this.#options.health.available || cancel?.aborted) return undefined;
    const url = `${this.#options.base}${path}${this.#options.query ?? ''}`;
    this.#options.health.started();
    try {
      const sent = headers ? { ...headers, ...this.#options.headers } : this.#options.headers;
      return await this.#transport.send(method, url, sent, body, this.#options.timeoutMs, cancel, maxBytes);
    } catch (error) {
      // Abandoned at the flush deadline: not the server's fault, so no warning and no breaker.
      if (!(error instanceof TransportError) && cancel?.aborted) {
        this.#options.health.settled();
        return undefined;
      }
      this.#fail(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  #failStatus(response: TransportResponse): { kind: 'failed' } {
    const reason =
      response.status === 401 || response.status === 403
        ? `rejected the credentials (HTTP ${response.status})`
        : `answered HTTP ${response.status}`;
    this.#fail(reason);
    return { kind: 'failed' };
  }

  #fail(reason: string): void {
    this.#options.metrics.requestErrors += 1;
    this.#options.health.failed(reason);
  }
}
