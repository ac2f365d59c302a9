/**
 * The remote cache under the real engine, in-process: CI builds workspace copy A with a
 * read-write remote; a clean copy B (another folder, empty local cache) with a read-only remote
 * executes nothing and materializes identical files. The CLI-level version of this test
 * (`--remote-cache`, bundles) lives in test/e2e once the CLI takes the flag.
 */
import { MARKER_NAME } from '../../src/workspace/kiln-folder-marker.js';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { Builder } from '../../src/engine/builder.js';
import { createRegistry } from '../../src/rule/registry.js';
import { createCacheStack } from '../../src/store/create-cache-stack.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { type NginxServer, nginxSkipReason, startNginx } from '../support/nginx.js';

const skip = nginxSkipReason();

async function writeWorkspace(root: string): Promise<void> {
  await writeFile(
    join(root, 'assets.yaml'),
    'workspace:\n  name: remote-test\n  packages: game\n  cache: .kiln\n  out: kiln-out\ndefault_platform: desktop\nplatforms:\n  desktop: {}\n',
  );
  const pkg = join(root, 'game', 'levels');
  await mkdir(pkg, { recursive: true });
  const targets: string[] = [];
  for (let index = 0; index < 6; index += 1) {
    await writeFile(join(pkg, `wave${index}.json`), JSON.stringify({ wave: index, enemies: ['orc', 'bat'].slice(0, 1 + (index % 2)) }));
    targets.push(`  wave${index}:\n    rule: data\n    srcs: [wave${index}.json]\n`);
  }
  await writeFile(join(pkg, 'assets.yaml'), `targets:\n${targets.join('')}`);
}

async function filesUnder(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // kiln-out's ownership marker is not a cooked output.
      if (entry.name === '.kiln-folder') continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.name === MARKER_NAME) continue;
      else result[relative(root, path)] = (await readFile(path)).toString('base64');
    }
  };
  await walk(root);
  return result;
}

describe.skipIf(skip !== undefined)('remote cache with the real builder', () => {
  let nginx: NginxServer;
  let folders: string[] = [];
  beforeAll(async () => {
    nginx = await startNginx();
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
    folders = [];
  });

  async function build(root: string, mode: 'read' | 'read-write') {
    const workspace = Workspace.open(root, createRegistry(builtinRules()));
    const cache = createCacheStack({ localRoot: workspace.config.cacheDir, env: {}, remote: { url: `${nginx.url}/team`, mode } });
    const builder = new Builder({ workspace, cache, jobs: 2 });
    const summary = await builder.build({ patterns: ['//...'] });
    return { summary, metrics: cache.metrics };
  }

  it('a clean machine executes 0 actions after CI filled the cache, with identical outputs', async () => {
    const a = await mkdtemp(join(tmpdir(), 'kiln-ws-a-'));
    folders.push(a);
    await writeWorkspace(a);
    const b = await mkdtemp(join(tmpdir(), 'kiln-ws-b-'));
    folders.push(b);
    await cp(a, b, { recursive: true });

    const ci = await build(a, 'read-write');
    expect(ci.summary.failed).toBe(0);
    expect(ci.summary.executed).toBe(6);
    expect(ci.metrics?.uploads).toBeGreaterThanOrEqual(6 * 2); // blob + result per action (no discovered inputs: no manifest)

    const laptop = await build(b, 'read');
    expect(laptop.summary).toMatchObject({ executed: 0, cached: 6, failed: 0 });
    expect(laptop.metrics).toMatchObject({ uploads: 0, verificationFailures: 0, requestErrors: 0 });
    const outputsA = await filesUnder(join(a, 'kiln-out'));
    expect(Object.keys(outputsA)).toHaveLength(6);
    expect(await filesUnder(join(b, 'kiln-out'))).toEqual(outputsA);
  });
});
