/** `kiln watch` through the compiled CLI, as a user runs it: prints its URL, pushes a change, stops on SIGINT. */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLI } from '../support/run-kiln.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { nodeClient } from './support/watch-fixture.js';

let ws: TempWorkspace;
afterAll(() => ws?.cleanup());

it('kiln watch prints its loopback URL, pushes changed events and exits cleanly on SIGINT', async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  ws = tempWorkspace({
    'pkgs/game/assets.yaml': 'targets:\n  stats: { rule: data, srcs: [stats.json] }\n',
    'pkgs/game/stats.json': '{"hp": 1}',
  });
  const child = spawn(process.execPath, [CLI, 'watch', '//game:stats', '--port', '0'], { cwd: ws.root, env: { ...process.env, CI: 'true' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stdout: ${stdout} stderr: ${stderr}`)), 30_000);
      child.stdout.on('data', () => {
        const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      void exited.then((code) => reject(new Error(`kiln watch exited with ${code} (is "watch" registered in src/cli/commands/index.ts?)\n${stdout}${stderr}`)));
    });
    const client = nodeClient(url);
    await client.connect();
    expect(client.versions.get('//game:stats')?.assetType).toBe('data');
    const changed = new Promise<string>((resolve) => client.on('changed', (m) => resolve(m.digest)));
    writeFileSync(join(ws.root, 'pkgs/game/stats.json'), '{"hp": 2}');
    const digest = await changed;
    expect(Buffer.from(await client.blob(digest)).toString()).toBe('{"hp":2}');
    client.close();
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect(stdout).toContain('stopping');
}, 60_000);
