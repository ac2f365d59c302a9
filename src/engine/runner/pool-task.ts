import type { MessagePort } from 'node:worker_threads';
import type { Digest } from '../../hash/digest.js';
import type { ActionUnit } from './action-unit.js';
import type { RunMode } from './run-action.js';

/** What the main thread posts to a pool worker for one action. */
export interface PoolTask {
  unit: ActionUnit;
  /** The unit's rule module, resolved to a file the worker can import. */
  moduleUrl: string;
  mode: RunMode;
  root: string;
  allowedRoots: string[];
  /** Blob reads go back over this port: the main thread owns the store. */
  blobs: MessagePort;
}

export interface BlobRequest {
  id: number;
  digest: Digest;
}

/** Sent first by the worker: the action's time limit starts now, not while it waited for a thread. */
export interface TaskStarted {
  started: true;
}

export interface BlobReply {
  id: number;
  bytes: Uint8Array | null;
  error?: string;
}

/** Given to each worker thread when it starts (piscina's `workerData`). */
export interface PoolWorkerData {
  /** Rule modules (`url#factory`) to import before the first task, while the build still analyses. */
  preload: string[];
}
