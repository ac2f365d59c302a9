/**
 * Start a real bazel-remote (built by `.ci/run` into `$KILN_CI_BIN`, default
 * /root/.cache/kiln-ci/bin) on 127.0.0.1 with free HTTP and gRPC ports and a temp folder, for
 * team-cache tests. Outside CI a missing binary skips with a printed reason; with CI=true it is
 * an error, because `.ci/run` builds it. Stopped by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './nginx.js';

export const CI_BIN = process.env.KILN_CI_BIN ?? '/root/.cache/kiln-ci/bin';
export const BAZEL_REMOTE_BINARY = join(CI_BIN, 'bazel-remote');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

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

export function bazelRemoteSkipReason(): string | undefined {
  if (existsSync(BAZEL_REMOTE_BINARY)) return undefined;
  const reason = `bazel-remote not found at ${BAZEL_REMOTE_BINARY} (.ci/run builds it with go install); skipping bazel-remote tests`;
  if (process.env.CI === 'true') throw new Error(`${reason} — but CI=true, where it must run`);
  console.warn(reason);
  return reason;
}

export async function startBazelRemote(): Promise<BazelRemoteServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-bazel-remote-'));
    try {
      return await startOnce(dir, await freePort(), await freePort());
    } catch (error) {
      lastError = error;
      await rm(dir, { recursive: true, force: true });
    }
  }
  throw lastError;
}

async function startOnce(dir: string, httpPort: number, grpcPort: number): Promise<BazelRemoteServer> {
  const child = spawn(
    BAZEL_REMOTE_BINARY,
    ['--dir', dir, '--max_size', '1', '--http_address', `127.0.0.1:${httpPort}`, '--grpc_address', `127.0.0.1:${grpcPort}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  try {
    await waitUntilReady(httpUrl, child, () => stderr);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    httpUrl,
    grpcUrl: `grpc://127.0.0.1:${grpcPort}`,
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
async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bazel-remote exited with ${child.exitCode}: ${stderr()}`);
    const status = await fetch(`${url}/cas/${EMPTY_SHA256}`, { method: 'HEAD', signal: AbortSignal.timeout(500) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`bazel-remote did not answer on ${url} within 20 s: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
