import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/cli/open-builder.js';
import { createCacheStack } from '../../src/store/create-cache-stack.js';
import { recordBuild } from '../../src/studio/build-history.js';
import { StaticApp } from '../../src/studio/static-app.js';
import { StudioServer } from '../../src/studio/studio-server.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

function get(url: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the studio API (in process)', () => {
  let ws: TempWorkspace;
  let appDir: string;
  let server: StudioServer;
  let url: string;

  beforeAll(async () => {
    ws = tempWorkspace({ 'pkgs/a/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n  pack: { rule: bundle, deps: [":cfg"] }\n', 'pkgs/a/cfg.json': '{"a":1}', 'secret.txt': 'do not serve' });
    appDir = mkdtempSync(join(tmpdir(), 'kiln-studio-app-'));
    mkdirSync(join(appDir, 'assets'));
    writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>studio</title>');
    writeFileSync(join(appDir, 'assets/main.js'), 'console.log(1)');
    const workspace = Workspace.open(ws.root, rules());
    await recordBuild(workspace.config.cacheDir, { platform: 'desktop', executed: 1, cached: 0, failed: 0, skipped: 0, durationMs: 5, targets: [] }, '{"traceEvents":[]}');
    const cache = createCacheStack({ localRoot: workspace.config.cacheDir });
    server = new StudioServer({ workspace: () => Workspace.open(ws.root, rules()), cacheDir: workspace.config.cacheDir, blobs: () => cache.blobs, app: new StaticApp(appDir) });
    url = (await server.listen()).url;
  });

  afterAll(async () => {
    await server.close();
    ws.cleanup();
    rmSync(appDir, { recursive: true, force: true });
  });

  it('serves the page and its files, and nothing else of the disk', async () => {
    expect((await get(url, '/')).body).toContain('<title>studio</title>');
    expect((await get(url, '/app/assets/main.js')).status).toBe(200);
    for (const path of ['/app/../secret.txt', '/app/%2e%2e/%2e%2e/secret.txt', '/app/..%2fsecret.txt', '/secret.txt', '/assets.yaml', '/app/']) {
      expect((await get(url, path)).status, path).toBe(404);
    }
  });

  it('answers the graph and the kept builds; unknown ids and digests are errors, not files', async () => {
    const graph = JSON.parse((await get(url, '/api/graph')).body) as { targets: { label: string; type: string; deps: string[] }[] };
    expect(graph.targets.map((t) => [t.label, t.type])).toEqual([['//a:cfg', 'data'], ['//a:pack', 'bundle']]);
    expect(graph.targets[1]!.deps).toEqual(['//a:cfg']);
    const builds = JSON.parse((await get(url, '/api/builds')).body) as { id: string }[];
    expect(builds).toHaveLength(1);
    expect((await get(url, `/api/builds/${builds[0]!.id}/trace`)).body).toBe('{"traceEvents":[]}');
    expect((await get(url, '/api/builds/../../secret')).status).toBe(404);
    expect((await get(url, '/api/builds/123')).status).toBe(404);
    expect((await get(url, '/cas/not-a-digest')).status).toBe(400);
    expect((await get(url, '/api/nothing')).status).toBe(404);
  });

  it('is read-only, and sends no CORS headers', async () => {
    expect((await get(url, '/api/graph', { method: 'POST' })).status).toBe(405);
    expect((await get(url, '/api/graph', { method: 'DELETE' })).status).toBe(405);
    const answer = await get(url, '/api/graph');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect((await get(url, '/api/graph', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await get(url, '/api/graph', { headers: { host: `localhost.evil.example:${new URL(url).port}` } })).status).toBe(403);
  });

  it('shows a broken assets.yaml as an error with file:line instead of failing', async () => {
    ws.write('pkgs/a/assets.yaml', 'targets:\n  cfg: { rule: data, srcs: [cfg.json]\n');
    const graph = JSON.parse((await get(url, '/api/graph')).body) as { errors: { message: string }[] };
    expect(graph.errors.map((e) => e.message).join('\n')).toMatch(/pkgs\/a\/assets\.yaml:\d+:\d+/);
  });
});
