/**
 * Start a real Buildbarn on 127.0.0.1 (built by `.ci/run` into `$KILN_CI_BIN`): bb_storage (CAS,
 * action cache and the front door for Execute), bb_scheduler and `workers` pairs of bb_worker +
 * bb_runner (concurrency 1, native build directories), configured by tools/buildbarn/config/*.jsonnet
 * with free ports and a temp folder. Every process is stopped by PID. Outside CI missing binaries
 * skip with a printed reason; with CI=true they are an error.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CI_BIN } from './bazel-remote.js';
import { freePort } from './nginx.js';

const CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tools', 'buildbarn', 'config');
const BINARIES = ['bb_storage', 'bb_scheduler', 'bb_worker', 'bb_runner'];

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

export function buildbarnSkipReason(): string | undefined {
  const missing = BINARIES.filter((name) => !existsSync(join(CI_BIN, name)));
  if (missing.length === 0) return undefined;
  const reason = `Buildbarn binaries missing in ${CI_BIN} (${missing.join(', ')}; tools/buildbarn/build.sh builds them); skipping remote execution tests`;
  if (process.env.CI === 'true') throw new Error(`${reason} — but CI=true, where they must run`);
  console.warn(reason);
  return reason;
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
