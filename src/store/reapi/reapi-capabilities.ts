import type { ReapiConnection } from './reapi-connection.js';
import { reapiMethods } from './reapi-proto.js';

/** gRPC's default message cap, which many servers keep: batches stay under it. */
const DEFAULT_BATCH_LIMIT = 4 << 20;
/** Room for the request framing around the blobs in one batch. */
const BATCH_OVERHEAD = 64 << 10;

export interface NegotiatedCache {
  /** Largest sum of blob sizes in one BatchUpdate/BatchRead; bigger blobs go through ByteStream. */
  batchLimit: number;
  /** Whether the server lets clients write ActionResults (read-write mode needs it). */
  updateEnabled: boolean;
}

/**
 * GetCapabilities, once per build, before anything else: kiln addresses everything by SHA-256,
 * so a server that does not offer it cannot be used (one warning, then the breaker stays open).
 * An empty digest-function list is an old server, which the spec says means SHA-256.
 */
export class ReapiCapabilities {
  #negotiated: Promise<NegotiatedCache | undefined> | undefined;

  constructor(
    private readonly connection: ReapiConnection,
    private readonly instanceName: string,
  ) {}

  negotiate(): Promise<NegotiatedCache | undefined> {
    this.#negotiated ??= this.#ask();
    return this.#negotiated;
  }

  async #ask(): Promise<NegotiatedCache | undefined> {
    const answer = await this.connection.unary(reapiMethods.getCapabilities(), { instanceName: this.instanceName });
    if (answer.kind !== 'ok') {
      // Asked again next build; this one treats the remote as down.
      return undefined;
    }
    const cache = answer.value.cacheCapabilities;
    const functions = cache?.digestFunctions ?? [];
    if (!cache || (functions.length > 0 && !functions.includes('SHA256'))) {
      this.connection.abandon(`offers no SHA-256 content addresses (digest functions: ${functions.join(', ') || 'none'})`);
      return undefined;
    }
    const declared = Number(cache.maxBatchTotalSizeBytes);
    const limit = declared > 0 ? Math.min(declared, DEFAULT_BATCH_LIMIT) : DEFAULT_BATCH_LIMIT;
    return { batchLimit: limit - BATCH_OVERHEAD, updateEnabled: cache.actionCacheUpdateCapabilities?.updateEnabled ?? false };
  }
}
