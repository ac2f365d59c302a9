import { statSync } from 'node:fs';
import { join } from 'node:path';
import { digestKey } from '../hash/digest.js';
import { hashFile } from '../hash/file-hasher.js';
import { isRacy } from '../hash/racy-mtime.js';
import type { FileDigestKind } from './requests/file-digest.js';
import type { RequestTracker } from './tracker/request-tracker.js';

/**
 * Files hashed while too young for their stat to vouch for them (git's "racily clean" entries):
 * at the end of a build, hash the ones old enough now once more and record their stat, so the
 * next build need not. A file whose content changed since it was read is not recorded with its
 * new stat — the tracker then verifies it again, which is what the next build must do.
 */
export function settleRacyFiles(tracker: RequestTracker, file: FileDigestKind): void {
  for (const path of file.racy) {
    file.racy.delete(path);
    const abs = join(tracker.root, path);
    const stat = statSync(abs, { bigint: true, throwIfNoEntry: false });
    if (!stat || !stat.isFile() || isRacy(stat.mtimeNs)) continue;
    const digest = digestKey(hashFile(abs));
    const after = statSync(abs, { bigint: true, throwIfNoEntry: false });
    if (!after || after.mtimeNs !== stat.mtimeNs || after.size !== stat.size) continue;
    tracker.record(file, path, file.observed(stat, digest));
  }
}
