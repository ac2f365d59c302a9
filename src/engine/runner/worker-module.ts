import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
/** The package root: this file is `src/engine/runner/x.ts` in a checkout, `dist/src/engine/runner/x.js` when compiled. */
const packageRoot = here.endsWith('.ts') ? join(dirname(here), '..', '..', '..') : join(dirname(here), '..', '..', '..', '..');

/**
 * The URL a worker thread can import for a module URL, or undefined when there is none. Node 20
 * cannot load TypeScript, so a `.ts` module (the test runner executes sources) is loadable only
 * through its compiled twin under `dist/`; a module that has neither cooks in-process. This is
 * decided up front from the files, never by trying and catching.
 */
export function workerLoadableUrl(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const path = fileURLToPath(url);
  if (/\.(m?js)$/.test(path)) return existsSync(path) ? url : undefined;
  if (!path.endsWith('.ts')) return undefined;
  const rel = relative(packageRoot, path);
  if (rel.startsWith('..') || rel.startsWith(`dist${sep}`)) return undefined;
  const twin = join(packageRoot, 'dist', rel.replace(/\.ts$/, '.js'));
  return existsSync(twin) ? pathToFileURL(twin).href : undefined;
}

/** The worker entry point itself, compiled. */
export function poolWorkerUrl(): string | undefined {
  return workerLoadableUrl(new URL('./pool-worker' + (here.endsWith('.ts') ? '.ts' : '.js'), import.meta.url).href);
}
