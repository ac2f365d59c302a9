/**
 * The team remote cache through the CLI, against a real nginx (WebDAV): CI builds the sample's
 * forest bundle in folder A with `--remote-cache-mode read-write`; a developer's clean copy in
 * folder B with `--remote-cache <url>` (read-only by default) executes nothing and gets identical
 * files. A remote that is down costs one warning and changes nothing in the result.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NginxServer, freePort, nginxSkipReason, startNginx } from '../support/nginx.js';
import { kiln } from '../support/run-kiln.js';
import { copySample } from '../support/sample-copy.js';
import { treeDifferences, treeDigests } from './support/file-tree.js';

const BUNDLE = '//levels/forest:bundle';
const skip = nginxSkipReason();

describe.skipIf(skip !== undefined)('remote cache through the CLI (nginx)', () => {
  let nginx: NginxServer;
  let a: ReturnType<typeof copySample>;
  let b: ReturnType<typeof copySample>;
  let c: ReturnType<typeof copySample>;

  beforeAll(async () => {
    nginx = await startNginx();
    a = copySample('kiln-remote-a-');
    b = copySample('kiln-remote-b-');
    c = copySample('kiln-remote-c-');
  });
  afterAll(async () => {
    await nginx?.stop();
    for (const folder of [a, b, c]) folder?.cleanup();
  });

  it('a clean build in another folder executes 0 actions and produces identical bundles', () => {
    const ci = kiln(a.root, ['build', BUNDLE, '--remote-cache', nginx.url, '--remote-cache-mode', 'read-write']);
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stderr).toBe('');
    expect(ci.summary?.executed).toBeGreaterThan(10);
    expect(ci.summary?.remote?.uploads).toBeGreaterThan(ci.summary?.executed ?? 0);
    expect(ci.summary?.remote?.uploadsFailed).toBe(0);

    const dev = kiln(b.root, ['build', BUNDLE, '--remote-cache', nginx.url]);
    expect(dev.code, dev.stderr).toBe(0);
    expect(dev.stderr).toBe('');
    expect(dev.summary?.executed).toBe(0);
    expect(dev.summary?.cached).toBe(ci.summary?.executed);
    expect(dev.summary?.remote?.actionHits).toBeGreaterThan(0);
    expect(dev.summary?.remote?.uploads).toBe(0);
    const treeA = treeDigests(join(a.root, 'kiln-out'));
    expect([...treeA.keys()]).toContain('desktop/levels/forest/bundle.tar');
    expect(treeDifferences(treeA, treeDigests(join(b.root, 'kiln-out')))).toEqual([]);
  }, 180_000);

  it('remote hits were stored locally: the same build offline still executes nothing', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const offline = kiln(b.root, ['build', BUNDLE, '--remote-cache', down]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.summary?.executed).toBe(0);
  });

  it('remote down: one warning, the build goes on locally with the same result', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const targets = ['//common:settings', '//levels/desert:waves', '//levels/forest:grass'];
    const run = kiln(c.root, ['build', ...targets, '--remote-cache', down, '--remote-cache-mode', 'read-write']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary?.executed).toBe(3);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('WARNING:'));
    expect(warnings, run.stderr).toHaveLength(1);
    expect(warnings[0]).toContain('127.0.0.1');
    expect(warnings[0]).toContain('building locally');
    expect(run.stderr.replace(warnings[0]!, '').trim()).toBe('');
    // The same targets built with no remote at all give the same files.
    const local = kiln(a.root, ['build', ...targets]);
    expect(local.code, local.stderr).toBe(0);
    const treeA = treeDigests(join(a.root, 'kiln-out'));
    const treeC = treeDigests(join(c.root, 'kiln-out'));
    for (const file of ['desktop/common/settings.json', 'desktop/levels/desert/waves.json', 'desktop/levels/forest/grass.ktx2']) {
      expect(treeC.get(file), file).toBeDefined();
      expect(treeC.get(file), file).toBe(treeA.get(file));
    }
  }, 120_000);
});
