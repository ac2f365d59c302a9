import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which of kiln's folders a marker vouches for. */
export type KilnFolderKind = 'out' | 'cache';

/** File kiln writes into every folder it creates, so `kiln clean` deletes only those. */
export const MARKER_NAME = '.kiln-folder';

const created = new Set<string>();

/**
 * Create `dir` (if needed) with its marker. Cheap after the first call per folder per process.
 * A folder that already exists without a marker (not made by kiln) gets none: clean must
 * still refuse it.
 */
export function ensureKilnFolder(dir: string, kind: KilnFolderKind): void {
  if (created.has(dir)) return;
  const marker = join(dir, MARKER_NAME);
  if (!existsSync(marker)) {
    if (existsSync(dir) && !isEmptyOrKilnShaped(dir, kind)) {
      created.add(dir);
      return;
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(marker, `${JSON.stringify({ kiln: kind })}\n`);
  }
  created.add(dir);
}

/** True when `dir` carries kiln's marker for `kind`. */
export function isKilnFolder(dir: string, kind: KilnFolderKind): boolean {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, MARKER_NAME), 'utf8')) as { kiln?: unknown };
    return parsed.kiln === kind;
  } catch {
    return false;
  }
}

/**
 * A folder kiln may adopt: empty, or (cache only) holding nothing but what kiln keeps there, as
 * a cache made before markers existed does. An out folder with files in it cannot be told apart
 * from a user's folder, so it is never adopted.
 */
function isEmptyOrKilnShaped(dir: string, kind: KilnFolderKind): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  if (names.length === 0) return true;
  return kind === 'cache' && names.every((name) => CACHE_ENTRIES.has(name));
}

const CACHE_ENTRIES = new Set(['cas', 'ac', 'state']);
