import type { Digest } from '../../hash/digest.js';
import type { ActionResultFile } from '../remote-backend.js';
import type { ReapiConnection } from './reapi-connection.js';
import { digestFromWire, wireDigest } from './reapi-digest.js';
import type { Operation } from './reapi-messages.js';
import { reapiMethods } from './reapi-proto.js';

const EXECUTE_RESPONSE_TYPE = 'type.googleapis.com/build.bazel.remote.execution.v2.ExecuteResponse';
/** A stream that ends before `done` is resumed with WaitExecution this many times. */
const MAX_WAITS = 20;

export type ExecuteOutcome =
  | { kind: 'done'; exitCode: number; outputFiles: ActionResultFile[]; stderr: Digest | undefined; stderrRaw: Uint8Array | undefined; cached: boolean }
  | { kind: 'failed'; reason: string };

/**
 * REAPI `Execute`: sends an Action digest (its Command and input root already in the CAS),
 * follows the operation stream to `done` (resuming with `WaitExecution` when a stream ends
 * early, as the spec allows), and returns the ActionResult. Never throws: a lost worker, a
 * server error or a malformed answer comes back as `failed` with a reason.
 */
export class ReapiExecution {
  constructor(
    private readonly connection: ReapiConnection,
    private readonly instanceName: string,
  ) {}

  async execute(action: Digest, skipCacheLookup: boolean, deadlineMs: number): Promise<ExecuteOutcome> {
    let last: Operation | undefined;
    const track = (operation: Operation) => {
      last = operation;
      return true;
    };
    const first = await this.connection.serverStream(
      reapiMethods.execute(),
      { instanceName: this.instanceName, skipCacheLookup, actionDigest: wireDigest(action), digestFunction: 'SHA256' },
      0,
      track,
      deadlineMs,
    );
    if (first.kind !== 'ok') return { kind: 'failed', reason: 'Execute failed (see the warning)' };
    for (let wait = 0; wait < MAX_WAITS && last && !last.done; wait += 1) {
      const name = last.name;
      const again = await this.connection.serverStream(reapiMethods.waitExecution(), { name }, 0, track, deadlineMs);
      if (again.kind !== 'ok') return { kind: 'failed', reason: `WaitExecution ${name} failed` };
    }
    return outcomeOf(last);
  }
}

function outcomeOf(operation: Operation | undefined): ExecuteOutcome {
  if (!operation?.done) return { kind: 'failed', reason: 'the operation never finished' };
  if (operation.error) return { kind: 'failed', reason: `the operation failed: ${operation.error.message} (code ${operation.error.code})` };
  const response = operation.response;
  if (!response || response.typeUrl !== EXECUTE_RESPONSE_TYPE || !response.value) return { kind: 'failed', reason: 'the operation has no ExecuteResponse' };
  const { status, result, cachedResult } = response.value;
  if (status && status.code !== 0) return { kind: 'failed', reason: `execution failed: ${status.message} (code ${status.code})` };
  if (!result) return { kind: 'failed', reason: 'the ExecuteResponse has no result' };
  const outputFiles: ActionResultFile[] = [];
  for (const file of result.outputFiles) {
    const digest = digestFromWire(file.digest);
    if (!digest) return { kind: 'failed', reason: `output ${file.path} has a malformed digest` };
    outputFiles.push({ path: file.path, digest });
  }
  return {
    kind: 'done',
    exitCode: result.exitCode,
    outputFiles,
    stderr: digestFromWire(result.stderrDigest),
    stderrRaw: result.stderrRaw && result.stderrRaw.byteLength > 0 ? result.stderrRaw : undefined,
    cached: cachedResult,
  };
}
