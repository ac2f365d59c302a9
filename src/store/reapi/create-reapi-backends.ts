import { readFileSync } from 'node:fs';
import type { ActionResultStore } from '../remote-backend.js';
import type { RemoteHealth } from '../remote-health.js';
import type { RemoteMetrics } from '../remote-metrics.js';
import { ReapiActionResults } from './reapi-action-results.js';
import { ReapiBlobStore } from './reapi-blob-store.js';
import { ReapiCapabilities } from './reapi-capabilities.js';
import { ReapiConnection, type ReapiTls } from './reapi-connection.js';

/** Secrets and TLS material for a REAPI server: only ever from the environment. */
export interface ReapiEnv {
  KILN_REMOTE_TOKEN?: string | undefined;
  /** PEM file of the CA roots to trust (default: the system's). */
  KILN_REMOTE_TLS_CA?: string | undefined;
  /** PEM files of a client certificate and its key, for mTLS. */
  KILN_REMOTE_TLS_CERT?: string | undefined;
  KILN_REMOTE_TLS_KEY?: string | undefined;
}

export interface ReapiBackendOptions {
  grpc: { target: string; tls: boolean; instanceName: string };
  timeoutMs: number;
  env: ReapiEnv;
  health: RemoteHealth;
  metrics: RemoteMetrics;
}

/** Largest message kiln accepts from a REAPI server: a batch, or one ByteStream chunk. */
const MAX_RECEIVE_BYTES = 8 << 20;

export interface ReapiBackends {
  blobs: ReapiBlobStore;
  results: ActionResultStore;
  connection: ReapiConnection;
}

export function createReapiBackends(options: ReapiBackendOptions): ReapiBackends {
  const connection = new ReapiConnection({
    target: options.grpc.target,
    tls: options.grpc.tls ? tlsFrom(options.env) : undefined,
    timeoutMs: options.timeoutMs,
    health: options.health,
    metrics: options.metrics,
    maxReceiveBytes: MAX_RECEIVE_BYTES,
    ...(options.env.KILN_REMOTE_TOKEN ? { token: options.env.KILN_REMOTE_TOKEN } : {}),
  });
  const capabilities = new ReapiCapabilities(connection, options.grpc.instanceName);
  return {
    connection,
    blobs: new ReapiBlobStore(connection, capabilities, options.grpc.instanceName, options.metrics),
    results: new ReapiActionResults(connection, capabilities, options.grpc.instanceName, options.metrics),
  };
}

/** Throws a plain message naming the variable (never its contents) when a file cannot be read. */
function tlsFrom(env: ReapiEnv): ReapiTls {
  const read = (name: keyof ReapiEnv): Buffer | undefined => {
    const path = env[name];
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const tls: ReapiTls = {};
  const ca = read('KILN_REMOTE_TLS_CA');
  const cert = read('KILN_REMOTE_TLS_CERT');
  const key = read('KILN_REMOTE_TLS_KEY');
  if ((cert === undefined) !== (key === undefined)) throw new Error('mTLS needs both KILN_REMOTE_TLS_CERT and KILN_REMOTE_TLS_KEY');
  if (ca) tls.ca = ca;
  if (cert && key) {
    tls.cert = cert;
    tls.key = key;
  }
  return tls;
}
