import { type Digest, digestOf } from '../../hash/digest.js';
import { ProtoWriter } from './proto-writer.js';

export interface TreeFile {
  /** Relative, `/`-separated, no `.`/`..`/empty segments. */
  path: string;
  digest: Digest;
  executable?: boolean;
}

export interface InputRoot {
  root: Digest;
  /** Every Directory message of the tree (the root included), to upload to the CAS. */
  directories: { digest: Digest; bytes: Uint8Array }[];
}

interface Folder {
  files: Map<string, TreeFile>;
  folders: Map<string, Folder>;
}

export function digestMessage(digest: Digest): ProtoWriter {
  return new ProtoWriter().string(1, digest.hash).uint(2, digest.size);
}

/**
 * The REAPI input root for a set of files: one `Directory` per folder with files and
 * subfolders sorted by name (byte order), as the spec requires, so equal inputs give equal
 * digests and the server can dedupe whole subtrees.
 */
export function buildInputRoot(files: readonly TreeFile[]): InputRoot {
  const top: Folder = { files: new Map(), folders: new Map() };
  for (const file of files) {
    const segments = file.path.split('/');
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('\0'))) {
      throw new Error(`input path "${file.path}" is not a clean relative path`);
    }
    let folder = top;
    for (const segment of segments.slice(0, -1)) {
      if (folder.files.has(segment)) throw new Error(`input path "${file.path}" runs through a file`);
      let next = folder.folders.get(segment);
      if (!next) {
        next = { files: new Map(), folders: new Map() };
        folder.folders.set(segment, next);
      }
      folder = next;
    }
    const name = segments[segments.length - 1]!;
    if (folder.folders.has(name)) throw new Error(`input path "${file.path}" is also a folder`);
    folder.files.set(name, file);
  }
  const directories: InputRoot['directories'] = [];
  const root = encodeFolder(top, directories);
  return { root, directories };
}

function byName(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function encodeFolder(folder: Folder, out: InputRoot['directories']): Digest {
  const writer = new ProtoWriter();
  for (const name of [...folder.files.keys()].sort(byName)) {
    const file = folder.files.get(name)!;
    writer.message(1, new ProtoWriter().string(1, name).message(2, digestMessage(file.digest)).bool(4, file.executable ?? false));
  }
  for (const name of [...folder.folders.keys()].sort(byName)) {
    const digest = encodeFolder(folder.folders.get(name)!, out);
    writer.message(2, new ProtoWriter().string(1, name).message(2, digestMessage(digest)));
  }
  const bytes = writer.finish();
  const digest = digestOf(bytes);
  out.push({ digest, bytes });
  return digest;
}
