import type { RemoteHealth } from './remote-health.js';
import type { RemoteMetrics } from './remote-metrics.js';

export interface RemoteHttpClientOptions {
  /** Base URL without credentials, ending in `/` (see `parseRemoteUrl`). */
  base: string;
  /** Query string (with `?`) to append to every request, or ''. Some proxies want `?token=`. */
  query?: string;
  /** Per-request timeout. Transfers of known size get one extra second per MiB. */
  timeoutMs: number;
  /** Sent with every request (Authorization, custom headers). Never printed. */
  headers: Record<string, string>;
  health: RemoteHealth;
  metrics: RemoteMetrics;
}

export type RemoteGet = { kind: 'hit'; body: Uint8Array } | { kind: 'miss' } | { kind: 'failed' };

/**
 * GET/PUT/HEAD against the Bazel HTTP cache layout. Never throws: every failure is reported to
 * the breaker (which prints the one warning) and comes back as `failed`, which callers treat as
 * a miss. Node's global fetch already pools keep-alive connections per origin.
 */
export class RemoteHttpClient {
  readonly #options: RemoteHttpClientOptions;

  constructor(options: RemoteHttpClientOptions) {
    this.#options = options;
  }

  get available(): boolean {
    return this.#options.health.available;
  }

  async get(path: string, expectedSize?: number): Promise<RemoteGet> {
    const response = await this.#request('GET', path, undefined, expectedSize);
    if (response === undefined) return { kind: 'failed' };
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      this.#options.health.succeeded();
      return { kind: 'miss' };
    }
    if (response.status !== 200) return this.#failStatus(response);
    let body: Uint8Array;
    try {
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      this.#fail(describeError(error, this.#timeoutFor(expectedSize), 'while reading the body'));
      return { kind: 'failed' };
    }
    const declared = response.headers.get('content-length');
    if (declared !== null && Number(declared) !== body.byteLength) {
      this.#fail(`sent a truncated body (${body.byteLength} of ${declared} bytes)`);
      return { kind: 'failed' };
    }
    this.#options.metrics.bytesDown += body.byteLength;
    this.#options.health.succeeded();
    return { kind: 'hit', body };
  }

  /** `undefined` means "could not tell" (failure); callers treat it as absent. */
  async head(path: string): Promise<boolean | undefined> {
    const response = await this.#request('HEAD', path, undefined, undefined);
    if (response === undefined) return undefined;
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 200) {
      this.#options.health.succeeded();
      return true;
    }
    if (response.status === 404) {
      this.#options.health.succeeded();
      return false;
    }
    this.#failStatus(response);
    return undefined;
  }

  async put(path: string, body: Uint8Array, signal?: AbortSignal): Promise<boolean> {
    const response = await this.#request('PUT', path, body, body.byteLength, signal);
    if (response === undefined) return false;
    await response.body?.cancel().catch(() => undefined);
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
    size: number | undefined,
    cancel?: AbortSignal,
  ): Promise<Response | undefined> {
    if (!this.#options.health.available || cancel?.aborted) return undefined;
    const timeoutMs = this.#timeoutFor(size);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
    try {
      const init: RequestInit = { method, headers: this.#options.headers, signal, redirect: 'follow' };
      // Blobs never live in SharedArrayBuffers; the DOM typing just cannot know that.
      if (body !== undefined) init.body = body as Uint8Array<ArrayBuffer>;
      return await fetch(`${this.#options.base}${path}${this.#options.query ?? ''}`, init);
    } catch (error) {
      // Abandoned at the flush deadline: not the server's fault, so no warning and no breaker.
      if (cancel?.aborted && !timeout.aborted) return undefined;
      this.#fail(describeError(error, timeoutMs, ''));
      return undefined;
    }
  }

  #timeoutFor(size: number | undefined): number {
    return this.#options.timeoutMs + Math.ceil((size ?? 0) / (1 << 20)) * 1000;
  }

  #failStatus(response: Response): { kind: 'failed' } {
    void response.body?.cancel().catch(() => undefined);
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

/** Turn fetch's layered errors into "unreachable (ECONNREFUSED)" and friends. */
function describeError(error: unknown, timeoutMs: number, context: string): string {
  const suffix = context ? ` ${context}` : '';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms${suffix}`;
  }
  const code = errorCode(error);
  if (code === 'UND_ERR_SOCKET' || (error instanceof Error && error.message === 'terminated')) {
    return `closed the connection early${suffix} (truncated body)`;
  }
  if (code) return `unreachable (${code})`;
  return `failed (${error instanceof Error ? error.message : String(error)})${suffix}`;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}
