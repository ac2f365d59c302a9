/**
 * The team cache through the CLI against a real bazel-remote: CI fills it over REAPI gRPC with
 * `--remote-cache-mode read-write`; a developer's clean copy reads it (read mode by default) over
 * gRPC, another over bazel-remote's HTTP layout, and both execute nothing with identical files.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BazelRemoteServer, bazelRemoteSkipReason, startBazelRemote } from '../support/bazel-remote.js';
import { kiln } from '../support/run-kiln.js';
import { copySample } from '../support/sample-copy.js';
import { treeDifferences, treeDigests } from './support/file-tree.js';

const BUNDLE = '//levels/forest:bundle';
const skip = bazelRemoteSkipReason();

describe.skipIf(skip !== undefined)('team cache through the CLI (bazel-remote)', () => {
  let server: BazelRemoteServer;
  let a: ReturnType<typeof copySample>;
  let b: ReturnType<typeof copySample>;
  let c: ReturnType<typeof copySample>;

  beforeAll(async () => {
    server = await startBazelRemote();
    a = copySample('kiln-bazel-remote-a-');
    b = copySample('kiln-bazel-remote-b-');
    c = copySample('kiln-bazel-remote-c-');
  });
  afterAll(async () => {
    await server?.stop();
    for (const folder of [a, b, c]) folder?.cleanup();
  });

  it('CI fills it over gRPC; clean copies read it over gRPC and HTTP, execute 0 actions and get identical files', () => {
    const env = { KILN_CACHE_HMAC_KEY: 'studio key' };
    const ci = kiln(a.root, ['build', BUNDLE, '--remote-cache', server.grpcUrl, '--remote-cache-mode', 'read-write'], env);
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stderr).toBe('');
    expect(ci.summary?.executed).toBeGreaterThan(10);
    expect(ci.summary?.remote?.uploadsFailed).toBe(0);
    const treeA = treeDigests(join(a.root, 'kiln-out'));

    for (const [copy, url] of [
      [b, server.grpcUrl],
      [c, server.httpUrl],
    ] as const) {
      const dev = kiln(copy.root, ['build', BUNDLE, '--remote-cache', url], env);
      expect(dev.code, dev.stderr).toBe(0);
      expect(dev.stderr).toBe('');
      expect(dev.summary?.executed).toBe(0);
      expect(dev.summary?.remote?.actionHits).toBeGreaterThan(0);
      expect(dev.summary?.remote?.verificationFailures).toBe(0);
      expect(treeDifferences(treeA, treeDigests(join(copy.root, 'kiln-out')))).toEqual([]);
    }
  }, 180_000);
});
