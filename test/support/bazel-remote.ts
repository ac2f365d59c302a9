/**
 * bazel-remote for team-cache tests (the server itself is started by bench/reapi-servers.ts).
 * Outside CI a missing binary skips with a printed reason; with CI=true it is an error, because
 * `.ci/run` builds it.
 */
import { existsSync } from 'node:fs';
import { BAZEL_REMOTE_BINARY } from '../../bench/reapi-servers.js';

export { type BazelRemoteServer, type BazelRemoteTls, BAZEL_REMOTE_BINARY, CI_BIN, startBazelRemote } from '../../bench/reapi-servers.js';

export function bazelRemoteSkipReason(): string | undefined {
  if (existsSync(BAZEL_REMOTE_BINARY)) return undefined;
  const reason = `bazel-remote not found at ${BAZEL_REMOTE_BINARY} (.ci/run builds it with go); skipping bazel-remote tests`;
  if (process.env.CI === 'true') throw new Error(`${reason} — but CI=true, where it must run`);
  console.warn(reason);
  return reason;
}
