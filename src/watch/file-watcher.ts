/**
 * Recursive `fs.watch` over the workspace root. Chosen over chokidar 5 after measuring both on a
 * 10,000-file tree here: same inotify watch count, ready in 0.55 s vs 1.2 s, half the memory, and
 * write → event 0.7 ms vs 20 ms. Event kinds (`rename`/`change`) are unreliable across editors, so
 * only the path is passed on; the rebuild loop stats it. What changed while kiln was not running
 * is found by the stat cache on the first build (no snapshot files needed).
 */
import { watch, type FSWatcher } from 'node:fs';
import { relative, sep } from 'node:path';
import { isIgnoredPath } from './ignored-path.js';

export interface FileWatcherOptions {
  root: string;
  /** Workspace-relative folders to ignore (cache, outputs). */
  ignore: readonly string[];
  onChange: (path: string, at: number) => void;
  onError: (error: Error) => void;
}

export class FileWatcher {
  private watcher: FSWatcher | undefined;

  constructor(private readonly options: FileWatcherOptions) {}

  start(): void {
    const { root, ignore, onChange, onError } = this.options;
    this.watcher = watch(root, { recursive: true, persistent: true }, (_event, filename) => {
      const at = performance.timeOrigin + performance.now();
      if (filename === null) {
        // The kernel queue overflowed: something changed, we do not know what. An empty path makes
        // the loop treat the whole workspace as changed.
        onChange('', at);
        return;
      }
      const rel = (sep === '/' ? filename : filename.split(sep).join('/')).replace(/^\.\//, '');
      if (!isIgnoredPath(rel, ignore)) onChange(rel, at);
    });
    this.watcher.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      onError(code === 'ENOSPC' ? new Error(`out of inotify watches: raise fs.inotify.max_user_watches (${error.message})`) : error);
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/** Workspace-relative, `/`-separated form of an absolute path under `root` ('' when outside). */
export function workspaceRelative(root: string, abs: string): string {
  const rel = relative(root, abs);
  if (rel.startsWith('..')) return '';
  return sep === '/' ? rel : rel.split(sep).join('/');
}
