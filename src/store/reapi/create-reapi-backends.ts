import type { ActionResultStore } from '../remote-backend.js';
import type { RemoteHealth } from '../remote-health.js';
import type { RemoteMetrics } from '../remote-metrics.js';
import { remoteTlsFromEnv, type RemoteTlsEnv } from '../remote-tls.js';
import { ReapiActionResults } from './reapi-action-results.js';
import { ReapiBlobStore } from './reapi-blob-store.js';
import { ReapiCapabilities } from './reapi-capabilities.js';
import { ReapiConnection } from './reapi-connection.js';

/** Secrets and TLS material for a REAPI server: only ever from the environment. */
export interface ReapiEnv extends RemoteTlsEnv {
  KILN_REMOTE_TOKEN?: string | undefined;
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
    tls: options.grpc.tls ? remoteTlsFromEnv(options.env) : undefined,
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
