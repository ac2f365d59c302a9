/**
 * The compiled studio page (built by Vite at install time into `dist/studio-app/`), served from
 * the package: `/` is its index.html, `/app/<file>` its scripts, styles and the Basis transcoder.
 * Only names from the listing of that folder are served, so no URL can reach another file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

export const APP_DIR = fileURLToPath(new URL('../../studio-app/', import.meta.url));

export interface StaticFile {
  type: string;
  bytes: Buffer;
}

export class StaticApp {
  private readonly files = new Map<string, string>();

  constructor(private readonly dir: string = APP_DIR) {
    const walk = (rel: string): void => {
      let entries;
      try {
        entries = readdirSync(join(dir, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) this.files.set(path, join(dir, path));
      }
    };
    walk('');
  }

  /** Whether the page was built (`npm run build:studio`). */
  get built(): boolean {
    return this.files.has('index.html');
  }

  /** `/` → index.html, `/app/x` → x; anything not in the folder's listing → undefined. */
  lookup(urlPath: string): StaticFile | undefined {
    const rel = urlPath === '/' || urlPath === '/index.html' ? 'index.html' : urlPath.startsWith('/app/') ? urlPath.slice(5) : undefined;
    if (rel === undefined) return undefined;
    const path = this.files.get(rel);
    if (!path || !statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
    return { type: TYPES[extname(rel)] ?? 'application/octet-stream', bytes: readFileSync(path) };
  }
}
