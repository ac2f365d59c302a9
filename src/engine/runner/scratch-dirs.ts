import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Private temp folders of one cook, all removed when it ends (also when it failed). */
export class ScratchDirs {
  private readonly dirs: string[] = [];

  async create(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-'));
    this.dirs.push(dir);
    return dir;
  }

  async removeAll(): Promise<void> {
    const dirs = this.dirs.splice(0);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
