/**
 * What a batch of changed paths means for the build: which targets read them (sources, glob
 * members, discovered inputs), which packages must be re-read (their assets.yaml changed, or a
 * file appeared or vanished where a glob might match it), whether the root assets.yaml changed,
 * and which known inputs are now missing (a delete, or the middle of an atomic save).
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { InputIndex } from './input-index.js';

export interface ChangeImpact {
  /** The root assets.yaml changed: settings and platforms must be re-read. */
  rootConfig: boolean;
  /** The watcher lost events: treat everything as changed. */
  everything: boolean;
  /** Packages whose assets.yaml changed. */
  packageFiles: Set<string>;
  /** Packages where an unknown file appeared or vanished (globs may now match differently). */
  globPackages: Set<string>;
  /** Re-globbing those packages changed their targets (set by the rebuild loop). */
  globChanged: boolean;
  /** Targets whose inputs changed. */
  labels: Set<string>;
  /** Known inputs touched by the batch (to drop from the stat cache). */
  inputs: Set<string>;
  /** Known inputs that do not exist right now. */
  missing: string[];
}

export function changeImpact(paths: Iterable<string>, index: InputIndex, root: string, packagesPath: string): ChangeImpact {
  const impact: ChangeImpact = { rootConfig: false, everything: false, packageFiles: new Set(), globPackages: new Set(), globChanged: false, labels: new Set(), inputs: new Set(), missing: [] };
  for (const path of paths) {
    if (path === '') {
      impact.everything = true;
      continue;
    }
    if (path === 'assets.yaml') {
      impact.rootConfig = true;
      continue;
    }
    if (posix.basename(path) === 'assets.yaml') {
      const dir = posix.dirname(path);
      const rel = packagesPath === '' ? dir : dir === packagesPath ? '' : dir.startsWith(`${packagesPath}/`) ? dir.slice(packagesPath.length + 1) : undefined;
      if (rel !== undefined) impact.packageFiles.add(rel === '.' ? '' : rel);
      continue;
    }
    const known = index.inputsAt(path);
    for (const input of known) {
      impact.inputs.add(input);
      for (const label of index.labelsOf(input)) impact.labels.add(label);
      if (!existsSync(join(root, input))) impact.missing.push(input);
    }
    // A file no target knows yet, or a folder: a glob may gain or lose members.
    if (known.length === 0 || known[0] !== path) {
      const pkg = index.packageOf(path);
      if (pkg !== undefined) impact.globPackages.add(pkg);
    }
    // A deleted known source may be a glob member whose target must disappear.
    if (known.some((input) => impact.missing.includes(input))) {
      const pkg = index.packageOf(path);
      if (pkg !== undefined) impact.globPackages.add(pkg);
    }
  }
  return impact;
}
