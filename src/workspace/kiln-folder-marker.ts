import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which folders kiln made, so `kiln clean` deletes only those. The cache carries its own marker
 * file; the out folder's is kept in the cache (a file inside kiln-out would show up in every
 * listing of the outputs), naming the out folder kiln took ownership of.
 */
export const CACHE_MARKER = '.kiln-folder';
export const OUT_MARKER = '.kiln-out-folder';

const done = new Set<string>();

/**
 * Before a command writes: mark the cache (creating it) and record the out folder as kiln's when
 * it does not exist yet or is empty. A folder that already holds someone else's files is never
 * adopted; kiln may still write outputs there, but clean will refuse to delete it.
 */
export function claimKilnFolders(cacheDir: string, outDir: string): void {
  const key = `${cacheDir}\0${outDir}`;
  if (done.has(key)) return;
  done.add(key);
  const cacheMarker = join(cacheDir, CACHE_MARKER);
  if (!existsSync(cacheMarker)) {
    if (existsSync(cacheDir) && !adoptable(cacheDir, CACHE_ENTRIES)) return;
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cacheMarker, `${JSON.stringify({ kiln: 'cache' })}\n`);
  }
  if (!isKilnOut(cacheDir, outDir) && (!existsSync(outDir) || adoptable(outDir, new Set()))) {
    writeFileSync(join(cacheDir, OUT_MARKER), `${JSON.stringify({ kiln: 'out', path: outDir })}\n`);
  }
}

export function isKilnCache(cacheDir: string): boolean {
  return readMarker(join(cacheDir, CACHE_MARKER))?.kiln === 'cache';
}

export function isKilnOut(cacheDir: string, outDir: string): boolean {
  const marker = readMarker(join(cacheDir, OUT_MARKER));
  return marker?.kiln === 'out' && marker.path === outDir;
}

function readMarker(path: string): { kiln?: unknown; path?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { kiln?: unknown; path?: unknown };
  } catch {
    return undefined;
  }
}

/** What a cache made before markers existed holds; such a cache is adopted. */
const CACHE_ENTRIES = new Set(['cas', 'ac', 'state', 'store', 'studio', 'remote']);

/** Empty, or holding only names kiln itself puts there. */
function adoptable(dir: string, known: ReadonlySet<string>): boolean {
  try {
    return readdirSync(dir).every((name) => known.has(name));
  } catch {
    return false;
  }
}
