import { decodeActionResultJson, encodeActionResultJson } from './action-result-json.js';
import type { ActionResultFile, ActionResultStore } from './remote-backend.js';
import type { RemoteHttpClient } from './remote-http-client.js';
import type { RemoteMetrics } from './remote-metrics.js';

/** bazel-remote's `/ac/` keys: a SHA-256 in hex, which kiln's action keys are. */
const ACTION_KEY = /^[0-9a-f]{64}$/;
const JSON_TYPE = 'application/json';
/** An ActionResult names an entry blob and the outputs: small. A bigger body is cut off unread. */
const MAX_RESULT_BYTES = 4 << 20;

/**
 * `<base>ac/<key>` on a Bazel-style HTTP cache, holding a REAPI `ActionResult` as JSON:
 * bazel-remote parses and validates it (and answers a miss when a blob it names is gone); a
 * plain WebDAV server stores the bytes as they are. Hits and misses are counted by
 * `TieredCacheStack`, which alone knows whether a hit was usable.
 */
export class RemoteActionCache implements ActionResultStore {
  constructor(
    private readonly client: RemoteHttpClient,
    private readonly metrics: RemoteMetrics,
  ) {}

  async get(key: string): Promise<ActionResultFile[] | undefined> {
    if (!ACTION_KEY.test(key)) return undefined;
    const result = await this.client.get(`ac/${key}`, undefined, MAX_RESULT_BYTES, { accept: JSON_TYPE });
    if (result.kind !== 'hit') return undefined;
    const files = decodeActionResultJson(Buffer.from(result.body).toString('utf8'));
    if (!files) this.metrics.verificationFailures += 1;
    return files;
  }

  async put(key: string, files: ActionResultFile[], signal?: AbortSignal): Promise<boolean> {
    if (!ACTION_KEY.test(key)) return false;
    const body = Buffer.from(encodeActionResultJson(files), 'utf8');
    return this.client.put(`ac/${key}`, body, signal, { 'content-type': JSON_TYPE });
  }
}
