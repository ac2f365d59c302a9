import { digestOf } from '../hash/digest.js';
import { type ActionEntry, ENTRY_LIMITS } from './action-entry.js';
import { decodeActionEntry, encodeActionEntry } from './hmac-envelope.js';
import type { HmacSigner } from './hmac-signer.js';
import type { InvalidEntryLog } from './invalid-entry-log.js';
import type { ActionResultFile, ActionResultStore, RemoteActionBackend, RemoteBlobBackend } from './remote-backend.js';
import type { RemoteMetrics } from './remote-metrics.js';

/** Where kiln's own entry (diagnostics, stats, discovered-input manifest) sits in an ActionResult. */
export const ENTRY_PATH = 'kiln/entry.json';
/** Outputs are listed too, so REAPI servers see (and keep alive) every blob an entry needs. */
const OUTPUT_DIR = 'kiln/out/';
/** Entry cap plus room for the signed envelope: a larger blob named by a server is not fetched. */
const MAX_ENTRY_BYTES = 2 * ENTRY_LIMITS.maxBytes;

/**
 * kiln's action entries on a REAPI-shaped cache. The entry travels as a CAS blob named by the
 * `ActionResult`, and it is that blob that is signed (HMAC over action key + entry text), never
 * the ActionResult: servers re-marshal ActionResults (bazel-remote adds worker metadata), so
 * their bytes are not stable, while a CAS blob is verified against its SHA-256 on every read.
 * Anything that does not verify is a miss, counted for the summary.
 */
export class RemoteEntryCache implements RemoteActionBackend {
  constructor(
    private readonly results: ActionResultStore,
    private readonly blobs: RemoteBlobBackend,
    private readonly metrics: RemoteMetrics,
    private readonly signer: HmacSigner | undefined,
    private readonly invalid?: InvalidEntryLog,
  ) {}

  async get(key: string): Promise<ActionEntry | undefined> {
    const files = await this.results.get(key);
    if (!files) return undefined;
    const entryFile = files.find((file) => file.path === ENTRY_PATH);
    if (!entryFile || entryFile.digest.size > MAX_ENTRY_BYTES) {
      this.metrics.verificationFailures += 1;
      return undefined;
    }
    const bytes = await this.blobs.get(entryFile.digest);
    if (!bytes) return undefined;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      this.metrics.verificationFailures += 1;
      return undefined;
    }
    const decoded = decodeActionEntry(key, text, this.signer);
    if (!decoded.ok) {
      // Strictly parsed before anything is stored locally: a malformed entry is never copied down.
      if (decoded.reason === 'malformed' && this.invalid) this.invalid.record('remote', key);
      else this.metrics.verificationFailures += 1;
      return undefined;
    }
    return decoded.entry;
  }

  /** The entry blob goes up first, so a server never holds a result naming a blob it lacks. */
  async upload(key: string, entry: ActionEntry, signal?: AbortSignal): Promise<boolean> {
    const bytes = Buffer.from(encodeActionEntry(key, entry, this.signer), 'utf8');
    const digest = digestOf(bytes);
    if (!(await this.blobs.upload(bytes, digest, signal))) {
      this.metrics.uploadsFailed += 1;
      return false;
    }
    const files: ActionResultFile[] = [{ path: ENTRY_PATH, digest }];
    if (entry.kind === 'result') {
      for (const output of entry.outputs) files.push({ path: `${OUTPUT_DIR}${output.name}`, digest: output.digest });
    }
    const ok = await this.results.put(key, files, signal);
    if (ok) this.metrics.uploads += 1;
    else this.metrics.uploadsFailed += 1;
    return ok;
  }
}
