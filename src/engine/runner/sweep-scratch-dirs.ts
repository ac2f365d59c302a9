import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Scratch folders are `<tmp>/kiln-cook-<pid>-<random>`: the pid tells a dead cook's from a live one's. */
export const SCRATCH_PREFIX = `kiln-cook-`;

export function scratchPrefix(): string {
  return join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`);
}

let swept = false;

/**
 * Remove scratch folders left by cooks whose process was killed (a cook's own folders are
 * removed when it ends; a SIGKILL skips that). Once per process, before its first cook: folders
 * of processes still running (another build right now) are left alone.
 */
export function sweepDeadScratchDirs(): void {
  if (swept) return;
  swept = true;
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^kiln-cook-(\d+)-[A-Za-z0-9]+$/.exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
