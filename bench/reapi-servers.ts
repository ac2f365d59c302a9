/**
 * Real REAPI servers on 127.0.0.1 for benchmarks and tests (tests re-export these from
 * test/support/): bazel-remote (team cache) and a Buildbarn cluster (remote execution), built by
 * `.ci/run` into `$KILN_CI_BIN` (default /root/.cache/kiln-ci/bin), on free ports in temp
 * folders, every process stopped by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CI_BIN = process.env.KILN_CI_BIN ?? '/root/.cache/kiln-ci/bin';
export const BAZEL_REMOTE_BINARY = join(CI_BIN, 'bazel-remote');
export const BUILDBARN_BINARIES = ['bb_storage', 'bb_scheduler', 'bb_worker', 'bb_runner'];
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** From dist/bench/ or bench/: the repository's tools/buildbarn/config. */
const HERE = dirname(fileURLToPath(import.meta.url));
const CONFIG = existsSync(join(HERE, '..', 'tools', 'buildbarn', 'config'))
  ? join(HERE, '..', 'tools', 'buildbarn', 'config')
  : join(HERE, '..', '..', 'tools', 'buildbarn', 'config');

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

export interface BazelRemoteServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  httpUrl: string;
  /** `grpc://127.0.0.1:<port>`. */
  grpcUrl: string;
  dir: string;
  pid: number;
  /** SIGSTOP / SIGCONT the process: a stalled server that keeps its sockets open. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** PEM files for a TLS bazel-remote; with `caFile` it demands client certificates (mTLS). */
export interface BazelRemoteTls {
  certFile: string;
  keyFile: string;
  caFile?: string;
  /** What the readiness probe presents: the CA to trust and, for mTLS, a client pair. */
  probe: { ca: Buffer; cert?: Buffer; key?: Buffer };
}

export async function startBazelRemote(tls?: BazelRemoteTls): Promise<BazelRemoteServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-bazel-remote-'));
    try {
      return await startOnce(dir, await freePort(), await freePort(), tls);
    } catch (error) {
      lastError = error;
      await rm(dir, { recursive: true, force: true });
    }
  }
  throw lastError;
}

async function startOnce(dir: string, httpPort: number, grpcPort: number, tls: BazelRemoteTls | undefined): Promise<BazelRemoteServer> {
  const tlsArgs = tls ? ['--tls_cert_file', tls.certFile, '--tls_key_file', tls.keyFile, ...(tls.caFile ? ['--tls_ca_file', tls.caFile] : [])] : [];
  const child = spawn(
    BAZEL_REMOTE_BINARY,
    ['--dir', dir, '--max_size', '1', '--http_address', `127.0.0.1:${httpPort}`, '--grpc_address', `127.0.0.1:${grpcPort}`, ...tlsArgs],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const httpUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${httpPort}`;
  try {
    await waitUntilReady(httpUrl, child, () => stderr, tls?.probe);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    httpUrl,
    grpcUrl: `${tls ? 'grpcs' : 'grpc'}://127.0.0.1:${grpcPort}`,
    dir,
    pid: child.pid!,
    pause: () => process.kill(child.pid!, 'SIGSTOP'),
    resume: () => process.kill(child.pid!, 'SIGCONT'),
    stop: async () => {
      if (child.exitCode === null) process.kill(child.pid!, 'SIGCONT');
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Ready when the empty blob answers 200 (bazel-remote always has it). */
async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string, probe?: BazelRemoteTls['probe']): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bazel-remote exited with ${child.exitCode}: ${stderr()}`);
    const status = await headStatus(`${url}/cas/${EMPTY_SHA256}`, probe);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`bazel-remote did not answer on ${url} within 20 s: ${stderr()}`);
}

function headStatus(url: string, probe: BazelRemoteTls['probe'] | undefined): Promise<number> {
  return new Promise((resolve) => {
    const options = { method: 'HEAD', timeout: 500, ...(probe ? { ca: probe.ca, cert: probe.cert, key: probe.key } : {}) };
    const request = (probe ? httpsRequest : httpRequest)(url, options, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

export interface BuildbarnWorker {
  name: string;
  workerPid: number;
  runnerPid: number;
  /** SIGKILL both processes (a machine lost mid-action). */
  kill(): void;
}

export interface BuildbarnCluster {
  /** `grpc://127.0.0.1:<port>`: CAS, action cache and Execute. */
  url: string;
  workers: BuildbarnWorker[];
  stop(): Promise<void>;
}


function start(binary: string, config: string, env: Record<string, string>, logs: string[]): ChildProcess {
  const child = spawn(join(CI_BIN, binary), [join(CONFIG, config)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  child.stderr?.on('data', (chunk: Buffer) => {
    logs.push(`${binary}: ${chunk.toString().trim()}`);
    if (logs.length > 200) logs.shift();
  });
  return child;
}

export async function startBuildbarn(workerCount: number): Promise<BuildbarnCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-buildbarn-'));
  for (const sub of ['storage-cas', 'storage-ac']) mkdirSync(join(dir, sub));
  const logs: string[] = [];
  const children: ChildProcess[] = [];
  const ports = {
    KILN_BB_DIR: dir,
    KILN_BB_STORAGE_PORT: String(await freePort()),
    KILN_BB_SCHEDULER_CLIENT_PORT: String(await freePort()),
    KILN_BB_SCHEDULER_WORKER_PORT: String(await freePort()),
    KILN_BB_SCHEDULER_ADMIN_PORT: String(await freePort()),
  };
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    children.push(start('bb_storage', 'storage.jsonnet', ports, logs));
    children.push(start('bb_scheduler', 'scheduler.jsonnet', ports, logs));
    const workers: BuildbarnWorker[] = [];
    for (let index = 0; index < workerCount; index += 1) {
      const name = `worker-${index}`;
      const workerDir = join(dir, name);
      for (const sub of ['build', 'cache']) mkdirSync(join(workerDir, sub), { recursive: true });
      const env = { ...ports, KILN_BB_WORKER_DIR: workerDir, KILN_BB_WORKER_NAME: name };
      const runner = start('bb_runner', 'runner.jsonnet', env, logs);
      children.push(runner);
      await waitFor(() => existsSync(join(workerDir, 'runner')), `bb_runner ${name}`, children, logs);
      const worker = start('bb_worker', 'worker.jsonnet', env, logs);
      children.push(worker);
      workers.push({
        name,
        workerPid: worker.pid!,
        runnerPid: runner.pid!,
        kill: () => {
          for (const child of [worker, runner]) if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
        },
      });
    }
    // The workers register with the scheduler on their first synchronization.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const dead = children.find((child) => child.exitCode !== null);
    if (dead) throw new Error(`a Buildbarn process exited with ${dead.exitCode}: ${logs.join('\n')}`);
    return { url: `grpc://127.0.0.1:${ports.KILN_BB_STORAGE_PORT}`, workers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor(ready: () => boolean, what: string, children: ChildProcess[], logs: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!ready()) {
    if (children.some((child) => child.exitCode !== null)) throw new Error(`${what}: a Buildbarn process exited: ${logs.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`${what} not ready within 15 s: ${logs.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
