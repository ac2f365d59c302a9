/** The compiled CLI as a child process the test can run alongside others, or kill mid-build. */
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI } from '../../support/run-kiln.js';

export interface RunningKiln {
  child: ChildProcess;
  /** Resolves when the process has exited, however it ended. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function spawnKiln(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): RunningKiln {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
