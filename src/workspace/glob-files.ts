import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

/**
 * Files under `dir` (package-relative, `/`-separated, sorted) matching any include pattern and no
 * exclude pattern. Folders holding their own `assets.yaml` belong to another package and are
 * skipped, as are dot-folders (editor swap files, `.git`).
 */
export function globFiles(
  dir: string,
  include: readonly string[],
  exclude: readonly string[] = [],
  /** Receives folders (package-relative) that are symlinks: never followed (they may leave the workspace). */
  symlinkedFolders?: string[],
): string[] {
  const isIncluded = picomatch(include as string[], { dot: false });
  const isExcluded = exclude.length > 0 ? picomatch(exclude as string[], { dot: true }) : () => false;
  const matches: string[] = [];
  const walk = (abs: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        const childAbs = join(abs, entry.name);
        if (entries.length > 0 && hasPackageFile(childAbs)) continue;
        walk(childAbs, childRel);
      } else if (entry.isFile() && isIncluded(childRel) && !isExcluded(childRel)) {
        matches.push(childRel);
      } else if (entry.isSymbolicLink() && symlinkedFolders && isFolder(join(abs, entry.name))) {
        symlinkedFolders.push(childRel);
      }
    }
  };
  walk(dir, '');
  return matches.sort();
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

function hasPackageFile(dir: string): boolean {
  try {
    return readdirSync(dir).includes('assets.yaml');
  } catch {
    return false;
  }
}

/** The part of a glob before its first wildcard segment: `textures/rock_*.png` → `textures`. */
export function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const base: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}!()]/.test(segment)) break;
    base.push(segment);
  }
  return base.join('/');
}
