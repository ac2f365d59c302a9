import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every folder at or below `dir` (workspace-relative) the way package lists and globs walk them:
 * dot-folders, node_modules and kiln's own folders are not looked into. The build record keeps
 * their stats: a folder gaining or losing an entry can change the target graph.
 */
export function foldersBelow(root: string, dir: string, skip: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    found.push(rel);
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (skip.has(join(root, child))) continue;
      stack.push(child);
    }
  }
  return found;
}
