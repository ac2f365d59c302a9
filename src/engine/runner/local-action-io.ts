import type { Digest } from '../../hash/digest.js';
import type { BlobStore } from '../../store/blob-store.js';
import type { ActionIO, FileRead } from './action-io.js';
import { ScratchDirs } from './scratch-dirs.js';
import type { WorkspaceFileSystem } from './workspace-file-system.js';

/**
 * ActionIO of an in-process cook: the workspace (on disk in a build, in memory in rule tests),
 * outputs straight into the build's store.
 */
export class LocalActionIO implements ActionIO {
  private readonly scratch = new ScratchDirs();

  constructor(
    private readonly files: WorkspaceFileSystem,
    private readonly blobs: BlobStore,
  ) {}

  readSource(path: string, digest: Digest): Promise<Uint8Array> {
    return this.files.readSource(path, digest);
  }

  readFile(path: string): Promise<FileRead> {
    return this.files.readFile(path);
  }

  readBlob(digest: Digest): Promise<Uint8Array | undefined> {
    return this.blobs.get(digest);
  }

  writeOutput(bytes: Uint8Array): Promise<Digest> {
    return this.blobs.put(bytes);
  }

  tempDir(): Promise<string> {
    return this.scratch.create();
  }

  dispose(): Promise<void> {
    return this.scratch.removeAll();
  }
}
