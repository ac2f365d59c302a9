import type { ActionCache } from './action-cache.js';
import { type ActionEntry, ENTRY_LIMITS } from './action-entry.js';
import { decodeActionEntry, encodeActionEntry } from './hmac-envelope.js';
import type { HmacSigner } from './hmac-signer.js';
import type { InvalidEntryLog } from './invalid-entry-log.js';
import type { RemoteHttpClient } from './remote-http-client.js';
import type { RemoteMetrics } from './remote-metrics.js';

const ACTION_KEY = /^[0-9a-zA-Z_-]{1,128}$/;
/** Entry cap plus room for the signed envelope around it. */
const MAX_ENVELOPE_BYTES = 2 * ENTRY_LIMITS.maxBytes;

/**
 * `<base>/ac/<key>` on a Bazel-style HTTP cache. With a signer, entries are written signed and
 * only correctly signed entries are read; anything else is a miss, counted as a verification
 * failure so the summary can say someone is writing entries without the team key.
 * Hits and misses are counted by `TieredCacheStack`, which alone knows whether a hit was usable
 * (all of its output blobs downloadable).
 */
export class RemoteActionCache implements ActionCache {
  constructor(
    private readonly client: RemoteHttpClient,
    private readonly metrics: RemoteMetrics,
    private readonly signer: HmacSigner | undefined,
    private readonly invalid?: InvalidEntryLog,
  ) {}

  async get(key: string): Promise<ActionEntry | undefined> {
    if (!ACTION_KEY.test(key)) return undefined;
    // An entry is small: a body over the cap is cut off by the client, never buffered whole.
    const result = await this.client.get(`ac/${key}`, undefined, MAX_ENVELOPE_BYTES);
    if (result.kind !== 'hit') return undefined;
    const decoded = decodeActionEntry(key, Buffer.from(result.body).toString('utf8'), this.signer);
    if (!decoded.ok) {
      // Strictly parsed before anything is stored locally: a malformed entry is never copied down.
      if (decoded.reason === 'malformed' && this.invalid) this.invalid.record('remote', key);
      else this.metrics.verificationFailures += 1;
      return undefined;
    }
    return decoded.entry;
  }

  async put(key: string, entry: ActionEntry): Promise<void> {
    await this.upload(key, entry);
  }

  /** Like `put`, but says whether the upload succeeded and can be abandoned via `signal`. */
  async upload(key: string, entry: ActionEntry, signal?: AbortSignal): Promise<boolean> {
    if (!ACTION_KEY.test(key)) return false;
    const body = Buffer.from(encodeActionEntry(key, entry, this.signer), 'utf8');
    const ok = await this.client.put(`ac/${key}`, body, signal);
    if (ok) this.metrics.uploads += 1;
    else this.metrics.uploadsFailed += 1;
    return ok;
  }
}
