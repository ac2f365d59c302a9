/**
 * Start a real nginx (Debian `nginx-light`, WebDAV) on 127.0.0.1 and a free port, from a temp
 * folder, for remote-cache tests. Outside CI a missing nginx skips the tests with a printed
 * reason; in CI (`CI=true`) it is an error, because `.ci/run` installs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NGINX_BINARY = process.env.KILN_TEST_NGINX ?? '/usr/sbin/nginx';

export interface NginxServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  /** The folder nginx serves; `<root>/cas/<digest>` and `<root>/ac/<key>` after uploads. */
  root: string;
  stop(): Promise<void>;
}

/** Why nginx tests cannot run here, or `undefined` when they can. Throws in CI. */
export function nginxSkipReason(): string | undefined {
  if (existsSync(NGINX_BINARY)) return undefined;
  const reason = `nginx not found at ${NGINX_BINARY} (apt-get install nginx-light); skipping nginx tests`;
  if (process.env.CI === 'true') throw new Error(`${reason} — but CI=true, where it must run`);
  console.warn(reason);
  return reason;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startNginx(): Promise<NginxServer> {
  const template = await readFile(join(dirname(fileURLToPath(import.meta.url)), 'nginx.conf.template'), 'utf8');
  let lastError: unknown;
  // The free port can be taken between probing and nginx binding it; try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const prefix = await mkdtemp(join(tmpdir(), 'kiln-nginx-'));
    try {
      return await startOnce(template, prefix, await freePort());
    } catch (error) {
      lastError = error;
      await rm(prefix, { recursive: true, force: true });
    }
  }
  throw lastError;
}

async function startOnce(template: string, prefix: string, port: number): Promise<NginxServer> {
  const root = join(prefix, 'root');
  await mkdir(root);
  const isRoot = process.getuid?.() === 0;
  const config = template
    .replaceAll('{{USER_LINE}}', isRoot ? 'user root;' : '')
    .replaceAll('{{PREFIX}}', prefix)
    .replaceAll('{{ROOT}}', root)
    .replaceAll('{{PORT}}', String(port));
  const configPath = join(prefix, 'nginx.conf');
  await writeFile(configPath, config);
  // `-e` keeps nginx from touching /var/log/nginx/error.log before it reads the config.
  const child = spawn(NGINX_BINARY, ['-p', prefix, '-c', configPath, '-e', join(prefix, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(url, child, () => stderr);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    url,
    port,
    root,
    stop: async () => {
      await stopChild(child);
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswering(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr()}`);
    const ok = await fetch(`${url}/`, { method: 'HEAD', signal: AbortSignal.timeout(500) }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nginx did not answer on ${url} within 10 s: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
