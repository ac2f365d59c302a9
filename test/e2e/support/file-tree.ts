/** Whole-folder snapshots for byte-for-byte comparisons of `kiln-out` trees. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every regular file under `dir` (recursively) → sha256 of its bytes, keyed by `/`-separated relative path, sorted. */
export function treeDigests(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.set(relative(dir, path).split('\\').join('/'), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Human-readable differences between two snapshots ([] when identical). */
export function treeDifferences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, digest] of expected) {
    const other = actual.get(path);
    if (other === undefined) problems.push(`missing: ${path}`);
    else if (other !== digest) problems.push(`differs: ${path}`);
  }
  for (const path of actual.keys()) if (!expected.has(path)) problems.push(`unexpected: ${path}`);
  return problems;
}

/** Files under `dir` whose name contains `part` (e.g. `.tmp-` leftovers of killed writes). */
export function filesNamed(dir: string, part: string): string[] {
  const found: string[] = [];
  const walk = (abs: string): void => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.includes(part)) found.push(path);
    }
  };
  walk(dir);
  return found;
}
