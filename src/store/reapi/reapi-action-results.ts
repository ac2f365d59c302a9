import type { ActionResultFile, ActionResultStore } from '../remote-backend.js';
import type { RemoteMetrics } from '../remote-metrics.js';
import type { ReapiCapabilities } from './reapi-capabilities.js';
import type { ReapiConnection } from './reapi-connection.js';
import { digestFromWire, wireDigest } from './reapi-digest.js';
import type { WireDigest } from './reapi-messages.js';
import { reapiMethods } from './reapi-proto.js';

const ACTION_KEY = /^[0-9a-f]{64}$/;

/**
 * The REAPI ActionCache keyed by kiln's action keys. An action key is a SHA-256 but not the
 * digest of an `Action` message; it goes in with a nominal size of 1 (servers such as
 * bazel-remote reject size 0 for anything but the empty blob's hash).
 */
export class ReapiActionResults implements ActionResultStore {
  constructor(
    private readonly connection: ReapiConnection,
    private readonly capabilities: ReapiCapabilities,
    private readonly instanceName: string,
    private readonly metrics: RemoteMetrics,
  ) {}

  async get(key: string): Promise<ActionResultFile[] | undefined> {
    if (!ACTION_KEY.test(key) || !(await this.capabilities.negotiate())) return undefined;
    const answer = await this.connection.unary(reapiMethods.getActionResult(), {
      instanceName: this.instanceName,
      actionDigest: actionDigest(key),
      digestFunction: 'SHA256',
    });
    if (answer.kind !== 'ok') return undefined;
    const files: ActionResultFile[] = [];
    for (const file of answer.value.outputFiles) {
      const digest = digestFromWire(file.digest);
      if (!digest) {
        this.metrics.verificationFailures += 1;
        return undefined;
      }
      files.push({ path: file.path, digest });
    }
    return files;
  }

  async put(key: string, files: ActionResultFile[], signal?: AbortSignal): Promise<boolean> {
    if (!ACTION_KEY.test(key)) return false;
    const negotiated = await this.capabilities.negotiate();
    if (!negotiated?.updateEnabled) return false;
    const answer = await this.connection.unary(
      reapiMethods.updateActionResult(),
      {
        instanceName: this.instanceName,
        actionDigest: actionDigest(key),
        actionResult: { outputFiles: files.map((file) => ({ path: file.path, digest: wireDigest(file.digest) })), exitCode: 0 },
        digestFunction: 'SHA256',
      },
      0,
      signal,
    );
    return answer.kind === 'ok';
  }
}

function actionDigest(key: string): WireDigest {
  return { hash: key, sizeBytes: '1' };
}
