/**
 * The graph view as JSON text, rebuilt only when an `assets.yaml` changed. Re-analysing 10k
 * targets costs seconds on this machine (measured: 1.7–5 s under load), a stat of every package
 * file a few milliseconds — and the page asks again after every watch build.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isRacy } from '../hash/racy-mtime.js';
import type { Workspace } from '../workspace/workspace.js';
import { graphView } from './target-rows.js';

export class GraphCache {
  private key = '';
  private text = '';

  /** `workspace` is opened fresh by the caller (its root file re-read); packages are parsed only on a miss. */
  json(workspace: Workspace): string {
    const key = fingerprint(workspace);
    if (key === undefined || key !== this.key) {
      this.text = JSON.stringify(graphView(workspace));
      // A file written within the racy window may change again with the same size and mtime: don't vouch.
      this.key = key ?? '';
    }
    return this.text;
  }
}

/** Size and mtime of the root file and every package file, in package order; undefined if one is too fresh to trust. */
function fingerprint(workspace: Workspace): string | undefined {
  const parts: string[] = [];
  let racy = false;
  const add = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false, bigint: true });
    if (stat && isRacy(stat.mtimeNs)) racy = true;
    parts.push(stat ? `${stat.size}:${stat.mtimeNs}:${stat.ino}` : '-');
  };
  add(join(workspace.root, 'assets.yaml'));
  for (const pkg of workspace.listPackages()) {
    parts.push(pkg);
    add(join(workspace.config.packagesDir, pkg, 'assets.yaml'));
  }
  return racy ? undefined : parts.join('|');
}
