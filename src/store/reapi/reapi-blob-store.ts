import { randomUUID } from 'node:crypto';
import { type Digest, digestOf, sameDigest } from '../../hash/digest.js';
import type { RemoteBlobBackend } from '../remote-backend.js';
import type { RemoteMetrics } from '../remote-metrics.js';
import type { ReapiCapabilities } from './reapi-capabilities.js';
import type { ReapiConnection } from './reapi-connection.js';
import { wireDigest } from './reapi-digest.js';
import type { ByteStreamWriteRequest } from './reapi-messages.js';
import { reapiMethods } from './reapi-proto.js';

/** ByteStream chunk size: well under gRPC's 4 MiB default message cap. */
const CHUNK = 1 << 20;
/** Digests per FindMissingBlobs call: ~100 bytes each, far under any message cap. */
const FIND_MISSING_BATCH = 1000;

/**
 * The REAPI CAS as a kiln remote blob store: FindMissingBlobs for `has`, BatchReadBlobs and
 * BatchUpdateBlobs for blobs that fit a batch, ByteStream Read/Write for bigger ones. Every
 * download is re-hashed and bounded by the size its digest declares: the server is not trusted.
 */
export class ReapiBlobStore implements RemoteBlobBackend {
  constructor(
    private readonly connection: ReapiConnection,
    private readonly capabilities: ReapiCapabilities,
    private readonly instanceName: string,
    private readonly metrics: RemoteMetrics,
  ) {}

  async has(digest: Digest): Promise<boolean> {
    if (!(await this.capabilities.negotiate())) return false;
    const answer = await this.connection.unary(reapiMethods.findMissingBlobs(), {
      instanceName: this.instanceName,
      blobDigests: [wireDigest(digest)],
      digestFunction: 'SHA256',
    });
    if (answer.kind !== 'ok') return false;
    return !answer.value.missingBlobDigests.some((missing) => missing.hash === digest.hash);
  }

  /** The digests the server lacks, asked in batches; `undefined` when the server could not answer. */
  async findMissing(digests: readonly Digest[]): Promise<Digest[] | undefined> {
    if (!(await this.capabilities.negotiate())) return undefined;
    const missing: Digest[] = [];
    for (let at = 0; at < digests.length; at += FIND_MISSING_BATCH) {
      const batch = digests.slice(at, at + FIND_MISSING_BATCH);
      const answer = await this.connection.unary(reapiMethods.findMissingBlobs(), {
        instanceName: this.instanceName,
        blobDigests: batch.map(wireDigest),
        digestFunction: 'SHA256',
      });
      if (answer.kind !== 'ok') return undefined;
      const absent = new Set(answer.value.missingBlobDigests.map((d) => d.hash));
      missing.push(...batch.filter((digest) => absent.has(digest.hash)));
    }
    return missing;
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    const negotiated = await this.capabilities.negotiate();
    const bytes = negotiated ? await (digest.size <= negotiated.batchLimit ? this.#batchRead(digest) : this.#streamRead(digest)) : undefined;
    if (!bytes) {
      this.metrics.blobMisses += 1;
      return undefined;
    }
    if (!sameDigest(digestOf(bytes), digest)) {
      this.metrics.verificationFailures += 1;
      this.metrics.blobMisses += 1;
      return undefined;
    }
    this.metrics.blobHits += 1;
    this.metrics.bytesDown += bytes.byteLength;
    return bytes;
  }

  async upload(bytes: Uint8Array, digest: Digest, signal?: AbortSignal): Promise<boolean> {
    const negotiated = await this.capabilities.negotiate();
    const ok = negotiated
      ? await (digest.size <= negotiated.batchLimit ? this.#batchWrite(bytes, digest, signal) : this.#streamWrite(bytes, digest, signal))
      : false;
    if (ok) {
      this.metrics.uploads += 1;
      this.metrics.bytesUp += bytes.byteLength;
    } else this.metrics.uploadsFailed += 1;
    return ok;
  }

  async #batchRead(digest: Digest): Promise<Uint8Array | undefined> {
    const answer = await this.connection.unary(
      reapiMethods.batchReadBlobs(),
      { instanceName: this.instanceName, digests: [wireDigest(digest)], digestFunction: 'SHA256' },
      digest.size,
    );
    if (answer.kind !== 'ok') return undefined;
    const response = answer.value.responses.find((r) => r.digest?.hash === digest.hash);
    if (!response || (response.status && response.status.code !== 0)) return undefined;
    if (response.compressor && response.compressor !== 'IDENTITY') return undefined;
    return response.data;
  }

  async #streamRead(digest: Digest): Promise<Uint8Array | undefined> {
    const chunks: Uint8Array[] = [];
    let received = 0;
    const answer = await this.connection.serverStream(
      reapiMethods.read(),
      { resourceName: `${this.#prefix()}blobs/${digest.hash}/${digest.size}`, readOffset: 0, readLimit: 0 },
      digest.size,
      (message) => {
        received += message.data.byteLength;
        if (received > digest.size) return false;
        chunks.push(message.data);
        return true;
      },
    );
    if (answer.kind !== 'ok' || received !== digest.size) return undefined;
    return Buffer.concat(chunks, received);
  }

  async #batchWrite(bytes: Uint8Array, digest: Digest, signal?: AbortSignal): Promise<boolean> {
    const answer = await this.connection.unary(
      reapiMethods.batchUpdateBlobs(),
      { instanceName: this.instanceName, requests: [{ digest: wireDigest(digest), data: bytes }], digestFunction: 'SHA256' },
      digest.size,
      signal,
    );
    if (answer.kind !== 'ok') return false;
    const response = answer.value.responses.find((r) => r.digest?.hash === digest.hash);
    if (!response || (response.status && response.status.code !== 0)) {
      this.connection.fail(`refused a blob upload (${response?.status?.message ?? 'no response for it'})`);
      return false;
    }
    return true;
  }

  async #streamWrite(bytes: Uint8Array, digest: Digest, signal?: AbortSignal): Promise<boolean> {
    const resourceName = `${this.#prefix()}uploads/${randomUUID()}/blobs/${digest.hash}/${digest.size}`;
    function* requests(): Generator<ByteStreamWriteRequest> {
      for (let offset = 0; offset < bytes.byteLength || offset === 0; offset += CHUNK) {
        const end = Math.min(offset + CHUNK, bytes.byteLength);
        yield { resourceName: offset === 0 ? resourceName : '', writeOffset: offset, finishWrite: end === bytes.byteLength, data: bytes.subarray(offset, end) };
        if (end === bytes.byteLength) return;
      }
    }
    const answer = await this.connection.clientStream(reapiMethods.write(), requests(), digest.size, signal);
    // A server that already had the blob may answer early with any committed size (spec: -1 or the full size).
    return answer.kind === 'ok';
  }

  #prefix(): string {
    return this.instanceName === '' ? '' : `${this.instanceName}/`;
  }
}
