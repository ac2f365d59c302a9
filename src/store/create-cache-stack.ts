import type { CacheStack } from './cache-stack.js';
import { HmacSigner } from './hmac-signer.js';
import { InvalidEntryLog } from './invalid-entry-log.js';
import { createLocalStack } from './local-cache-stack.js';
import { RemoteActionCache } from './remote-action-cache.js';
import { type RemoteAuthEnv, remoteAuthHeaders } from './remote-auth.js';
import { RemoteBlobStore } from './remote-blob-store.js';
import { RemoteHealth } from './remote-health.js';
import { RemoteHttpClient } from './remote-http-client.js';
import { RemoteHttpTransport } from './remote-http-transport.js';
import { remoteTlsFromEnv } from './remote-tls.js';
import { createRemoteMetrics, type RemoteMetrics } from './remote-metrics.js';
import { RemoteEntryCache } from './remote-entry-cache.js';
import { parseRemoteUrl } from './remote-url.js';
import { createReapiBackends, type ReapiEnv } from './reapi/create-reapi-backends.js';
import type { ActionResultStore, RemoteBlobBackend } from './remote-backend.js';
import { RemoteWarnings } from './remote-warnings.js';
import { type RemoteCacheMode, TieredCacheStack } from './tiered-cache-stack.js';

export interface RemoteCacheOptions {
  /**
   * `http(s)://` — a Bazel-layout HTTP cache (bazel-remote, or plain WebDAV such as nginx); may
   * carry `user:password@` (never printed). `grpc(s)://host:port[/instance]` — a REAPI v2 server.
   */
  url: string;
  mode: RemoteCacheMode;
  /** Per-request timeout. Default 5000 ms. */
  timeoutMs?: number;
  /** HMAC-SHA256 key for action entries. Default: `KILN_CACHE_HMAC_KEY` from `env`. */
  hmacKey?: string;
  /** Extra headers for every request (e.g. an API key a proxy wants). Never printed. */
  headers?: Record<string, string>;
  /** How long `flush()` waits for uploads. Default 15 000 ms. */
  flushTimeoutMs?: number;
  /** Uploads in flight at once. Default 8. */
  uploadConcurrency?: number;
  /** Consecutive failed requests before the remote is skipped for the rest of the build. Default 3. */
  maxFailures?: number;
}

export interface CacheStackOptions {
  /**
   * The local cache folder (`.kiln`): entries and small blobs in the embedded store under
   * `<localRoot>/state`, large blobs in `<localRoot>/cas` (see local-cache-stack.ts).
   */
  localRoot: string;
  remote?: RemoteCacheOptions;
  /** Where auth secrets and the HMAC key are read from. Default `process.env`. */
  env?: RemoteAuthEnv & ReapiEnv & { KILN_CACHE_HMAC_KEY?: string | undefined };
  /** Print warnings as they happen; without it, `flush()` returns them. */
  onWarning?: (message: string) => void;
}

/** A stack plus, when a remote is configured, its counters for the build summary. */
export type ConfiguredCacheStack = CacheStack & { readonly metrics?: RemoteMetrics };

/** The one place the engine and CLI get their cache from. Throws only on an invalid URL. */
export function createCacheStack(options: CacheStackOptions): ConfiguredCacheStack {
  const invalid = new InvalidEntryLog();
  // Its flush gives the build's one warning about invalid cache entries (local and remote alike).
  const local: CacheStack = createLocalStack(options.localRoot, invalid);
  const remote = options.remote;
  if (!remote) return local;
  const env = options.env ?? process.env;
  const url = parseRemoteUrl(remote.url);
  const metrics = createRemoteMetrics();
  const warnings = new RemoteWarnings(options.onWarning);
  const health = new RemoteHealth({
    display: url.display,
    onWarning: (message) => warnings.emit(message),
    ...(remote.maxFailures !== undefined ? { maxFailures: remote.maxFailures } : {}),
  });
  const timeoutMs = remote.timeoutMs ?? 5000;
  let blobs: RemoteBlobBackend;
  let results: ActionResultStore;
  if (url.grpc) {
    ({ blobs, results } = createReapiBackends({ grpc: url.grpc, timeoutMs, env, health, metrics }));
  } else {
    const client = new RemoteHttpClient({
      base: url.base,
      query: url.query,
      timeoutMs,
      headers: { ...remote.headers, ...remoteAuthHeaders(url, env) },
      health,
      metrics,
      ...(url.base.startsWith('https:') ? { transport: new RemoteHttpTransport(remoteTlsFromEnv(env)) } : {}),
    });
    blobs = new RemoteBlobStore(client, metrics);
    results = new RemoteActionCache(client, metrics);
  }
  const hmacKey = remote.hmacKey ?? env.KILN_CACHE_HMAC_KEY;
  const signer = hmacKey ? new HmacSigner(hmacKey) : undefined;
  return new TieredCacheStack({
    local,
    remoteBlobs: blobs,
    remoteActions: new RemoteEntryCache(results, blobs, metrics, signer, invalid),
    mode: remote.mode,
    health,
    metrics,
    warnings,
    ...(remote.flushTimeoutMs !== undefined ? { flushTimeoutMs: remote.flushTimeoutMs } : {}),
    ...(remote.uploadConcurrency !== undefined ? { uploadConcurrency: remote.uploadConcurrency } : {}),
  });
}
