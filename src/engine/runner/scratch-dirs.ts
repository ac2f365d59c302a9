import { mkdtemp, rm } from 'node:fs/promises';
import { scratchPrefix, sweepDeadScratchDirs } from './sweep-scratch-dirs.js';

/** Private temp folders of one cook, all removed when it ends (also when it failed). */
export class ScratchDirs {
  private readonly dirs: string[] = [];

  async create(): Promise<string> {
    // Killed builds leave their folders behind: the first cook of a process clears them.
    sweepDeadScratchDirs();
    const dir = await mkdtemp(scratchPrefix());
    this.dirs.push(dir);
    return dir;
  }

  async removeAll(): Promise<void> {
    const dirs = this.dirs.splice(0);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
