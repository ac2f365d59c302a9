import { createRequire } from 'node:module';
import type * as Grpc from '@grpc/grpc-js';
import type { CallOptions, Client, ClientReadableStream, Metadata, ServiceError } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { RemoteHealth } from '../remote-health.js';
import type { RemoteMetrics } from '../remote-metrics.js';

export interface ReapiTls {
  /** PEM roots to trust instead of the system's. */
  ca?: Buffer;
  /** PEM client certificate and key, for mTLS. */
  cert?: Buffer;
  key?: Buffer;
}

export interface ReapiConnectionOptions {
  /** `host:port`. */
  target: string;
  /** `undefined`: plaintext (grpc://); otherwise TLS (grpcs://). */
  tls: ReapiTls | undefined;
  /** Bearer token sent as `authorization` metadata; never printed. */
  token?: string;
  /** Per-call deadline; calls moving a known number of bytes get one extra second per MiB. */
  timeoutMs: number;
  health: RemoteHealth;
  metrics: RemoteMetrics;
  /** Largest message accepted from the server. */
  maxReceiveBytes: number;
}

const require = createRequire(import.meta.url);
let grpcModule: typeof Grpc | undefined;

/**
 * @grpc/grpc-js (with protobufjs, ~100 CommonJS modules) is loaded when the first connection is
 * made: every `kiln build` imports this file, few of them talk to a REAPI server.
 */
function grpc(): typeof Grpc {
  grpcModule ??= require('@grpc/grpc-js') as typeof Grpc;
  return grpcModule;
}

/** How a call ended: a value, a definite "not there" (NOT_FOUND), or a failure already reported. */
export type CallResult<T> = { kind: 'ok'; value: T } | { kind: 'not-found' } | { kind: 'failed' };

/**
 * One gRPC channel to a REAPI server, and the only place call outcomes reach the circuit
 * breaker: NOT_FOUND is an answer, everything else (UNAVAILABLE, DEADLINE_EXCEEDED,
 * UNAUTHENTICATED…) is a failure with one warning per build. A call cancelled by kiln itself
 * (the flush deadline) blames nobody.
 */
export class ReapiConnection {
  readonly #options: ReapiConnectionOptions;
  readonly #client: Client;

  constructor(options: ReapiConnectionOptions) {
    this.#options = options;
    const { ChannelCredentials, Client } = grpc();
    const credentials = options.tls
      ? ChannelCredentials.createSsl(options.tls.ca ?? null, options.tls.key ?? null, options.tls.cert ?? null)
      : ChannelCredentials.createInsecure();
    this.#client = new Client(options.target, credentials, {
      'grpc.max_receive_message_length': options.maxReceiveBytes,
      'grpc.max_send_message_length': options.maxReceiveBytes,
      // A dead server must fail fast, not wait for reconnect backoff.
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 1000,
    });
  }

  get available(): boolean {
    return this.#options.health.available;
  }

  close(): void {
    this.#client.close();
  }

  unary<Req, Res>(method: MethodDefinition<Req, Res>, request: Req, bytes = 0, signal?: AbortSignal): Promise<CallResult<Res>> {
    if (!this.available || signal?.aborted) return Promise.resolve({ kind: 'failed' });
    this.#options.health.started();
    return new Promise((resolve) => {
      const answer = this.#answer(resolve, signal);
      answer.cancelOnAbort(this.#client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, this.#metadata(), this.#callOptions(bytes), answer.callback));
    });
  }

  /** A server-streaming call, every message handed to `onMessage`; `false` from it cancels. */
  serverStream<Req, Res>(
    method: MethodDefinition<Req, Res>,
    request: Req,
    bytes: number,
    onMessage: (message: Res) => boolean,
    deadlineMs?: number,
  ): Promise<CallResult<true>> {
    if (!this.available) return Promise.resolve({ kind: 'failed' });
    this.#options.health.started();
    return new Promise((resolve) => {
      let refused = false;
      const call: ClientReadableStream<Res> = this.#client.makeServerStreamRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        this.#metadata(),
        deadlineMs === undefined ? this.#callOptions(bytes) : { deadline: new Date(Date.now() + deadlineMs) },
      );
      call.on('data', (message: Res) => {
        if (refused) return;
        if (!onMessage(message)) {
          refused = true;
          call.cancel();
        }
      });
      call.on('error', (error: ServiceError) => {
        if (refused) {
          this.#fail('sent more data than asked for');
          resolve({ kind: 'failed' });
        } else resolve(this.#settle(error, undefined));
      });
      call.on('end', () => {
        if (refused) return;
        this.#options.health.succeeded();
        resolve({ kind: 'ok', value: true });
      });
    });
  }

  /** A client-streaming call sending `requests` in order. */
  clientStream<Req, Res>(method: MethodDefinition<Req, Res>, requests: Iterable<Req>, bytes: number, signal?: AbortSignal): Promise<CallResult<Res>> {
    if (!this.available || signal?.aborted) return Promise.resolve({ kind: 'failed' });
    this.#options.health.started();
    return new Promise((resolve) => {
      const answer = this.#answer(resolve, signal);
      const call = this.#client.makeClientStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, this.#metadata(), this.#callOptions(bytes), answer.callback);
      answer.cancelOnAbort(call);
      for (const request of requests) call.write(request);
      call.end();
    });
  }

  /**
   * The one answer of a unary or client-streaming call: `callback` settles it (success, or the
   * failure `#settle` classifies) and `cancelOnAbort` ties the call to `signal`.
   */
  #answer<Res>(resolve: (result: CallResult<Res>) => void, signal: AbortSignal | undefined) {
    let cancel = (): void => undefined;
    return {
      callback: (error: ServiceError | null, value?: Res) => {
        signal?.removeEventListener('abort', cancel);
        if (error || value === undefined) resolve(this.#settle(error, signal));
        else {
          this.#options.health.succeeded();
          resolve({ kind: 'ok', value });
        }
      },
      cancelOnAbort: (call: { cancel(): void }) => {
        cancel = () => call.cancel();
        signal?.addEventListener('abort', cancel, { once: true });
      },
    };
  }

  /** The server can never serve this build (see `RemoteHealth.abandon`). */
  abandon(reason: string): void {
    this.#options.health.abandon(reason);
  }

  /** Report a protocol-level problem (bad digest function, malformed answer) as a failure. */
  fail(reason: string): void {
    this.#options.health.started();
    this.#fail(reason);
  }

  #metadata(): Metadata {
    const metadata = new (grpc().Metadata)();
    if (this.#options.token) metadata.set('authorization', `Bearer ${this.#options.token}`);
    return metadata;
  }

  #callOptions(bytes: number): CallOptions {
    const timeoutMs = this.#options.timeoutMs + Math.ceil(bytes / (1 << 20)) * 1000;
    return { deadline: new Date(Date.now() + timeoutMs) };
  }

  #settle<T>(error: ServiceError | null, signal: AbortSignal | undefined): CallResult<T> {
    const { status } = grpc();
    if (error?.code === status.NOT_FOUND) {
      this.#options.health.succeeded();
      return { kind: 'not-found' };
    }
    if (error?.code === status.CANCELLED && signal?.aborted) {
      this.#options.health.settled();
      return { kind: 'failed' };
    }
    this.#fail(describe(error, this.#options.timeoutMs));
    return { kind: 'failed' };
  }

  #fail(reason: string): void {
    this.#options.metrics.requestErrors += 1;
    this.#options.health.failed(reason);
  }
}

function describe(error: ServiceError | null, timeoutMs: number): string {
  if (!error) return 'answered without a message';
  const { status } = grpc();
  switch (error.code) {
    case status.UNAVAILABLE:
      return `unreachable (UNAVAILABLE: ${error.details})`;
    case status.DEADLINE_EXCEEDED:
      return `timed out after ${timeoutMs} ms`;
    case status.UNAUTHENTICATED:
    case status.PERMISSION_DENIED:
      return `rejected the credentials (${status[error.code]})`;
    default:
      return `answered ${status[error.code] ?? error.code} (${error.details})`;
  }
}
