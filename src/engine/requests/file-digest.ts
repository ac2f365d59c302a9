import { lstatSync, readFileSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { type Digest, digestKey, digestOf } from '../../hash/digest.js';
import { hashFile } from '../../hash/file-hasher.js';
import { isRacy } from '../../hash/racy-mtime.js';
import { RuleError } from '../../rule/rule-error.js';
import { FRESH_SOURCE_MAX_BYTES, type FreshSources } from '../fresh-sources.js';
import type { RequestKind } from '../tracker/request-kind.js';
import { FILE_KIND } from '../tracker/request-tracker.js';

/**
 * The digest of one workspace file: the leaf of almost every edge. Its stat (size, mtime in ns,
 * inode) is kept with it, so verifying it in a fresh process costs one stat and re-hashes only
 * files that changed (this replaces the old stat-cache.json). A file modified within the racy
 * window keeps no stat: it is hashed again next time rather than trusted.
 */
export interface FileDigest {
  /** `hash-size`, or `absent` when there is no regular file at the path. */
  digest: string;
  /** [size, mtime ns, inode] when the stat can vouch for the content; absent for racy files. */
  stat?: [number, string, number];
}

export interface FileDigestKind extends RequestKind<string, FileDigest> {
  /** Files hashed by this kind (summaries, tests). */
  hashed: number;
  /** Paths hashed while racy, for `settle`. */
  readonly racy: Set<string>;
  /** The value for a digest a cook computed from a stable read (see ActionContext's onStableRead). */
  observed(stat: Pick<BigIntStats, 'mtimeNs' | 'ino'> & { size?: bigint }, digest: string): FileDigest;
}

/**
 * One kind per workspace root. Files that resolve outside the workspace (a symlink to
 * /etc/passwd) are refused: an error of this request, seen by every target that reads it.
 * Small files are read whole and their bytes handed to `fresh`, for the cook that reads them next.
 */
export function fileDigestKind(root: string, fresh?: FreshSources): FileDigestKind {
  const realRoot = realpathSync(root);
  const realDirs = new Map<string, string>();
  /** Where `abs` really is; `symlink`: whether its own lstat said it is a symbolic link. */
  const realPath = (abs: string, symlink: boolean): string => {
    if (symlink) return realpathSync(abs);
    const dir = dirname(abs);
    let realDir = realDirs.get(dir);
    if (realDir === undefined) {
      realDir = realpathSync(dir);
      realDirs.set(dir, realDir);
    }
    return join(realDir, basename(abs));
  };
  const kind: FileDigestKind = {
    name: FILE_KIND,
    hashed: 0,
    racy: new Set(),
    key: (path) => path,
    fingerprint: (value) => value.digest,
    check(path, previous) {
      const stat = statSync(join(root, path), { bigint: true, throwIfNoEntry: false });
      if (!stat || !stat.isFile()) return previous.digest === 'absent';
      const known = previous.stat;
      return known !== undefined && known[0] === Number(stat.size) && known[1] === stat.mtimeNs.toString() && known[2] === Number(stat.ino);
    },
    run(path) {
      const abs = join(root, path);
      // One lstat says both what the file is and whether it is a link; only a link costs a second
      // stat (of what it points to). A cold build runs this once per source (10,000 at 10k assets).
      const own = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
      const symlink = own?.isSymbolicLink() === true;
      const stat = symlink ? statSync(abs, { bigint: true, throwIfNoEntry: false }) : own;
      if (!stat || !stat.isFile()) return { digest: 'absent' };
      const real = realPath(abs, symlink);
      if (real !== realRoot && !real.startsWith(realRoot + sep)) {
        throw new RuleError(`"${path}" resolves to ${real}, outside the workspace`, { file: path });
      }
      let hashed: Digest;
      if (fresh && stat.size <= FRESH_SOURCE_MAX_BYTES) {
        const bytes = readFileSync(abs);
        hashed = digestOf(bytes);
        fresh.keep(path, hashed, bytes);
      } else {
        hashed = hashFile(abs);
      }
      const digest = digestKey(hashed);
      kind.hashed++;
      if (isRacy(stat.mtimeNs)) {
        kind.racy.add(path);
        return { digest };
      }
      return { digest, stat: [Number(stat.size), stat.mtimeNs.toString(), Number(stat.ino)] };
    },
    observed(stat, digest) {
      if (isRacy(stat.mtimeNs)) return { digest };
      const size = stat.size !== undefined ? Number(stat.size) : Number(digest.slice(digest.lastIndexOf('-') + 1));
      return { digest, stat: [size, stat.mtimeNs.toString(), Number(stat.ino)] };
    },
  };
  return kind;
}
