/**
 * A progressive load (the seed's StreamHandle): `current` improves as parts arrive (smallest mip,
 * coarsest LOD, first audio chunk first), `loadedFraction` goes from 0 to 1, events report each
 * step. `cancel()` stops it; `setPriority()` lowers (or raises) the urgency of its remaining reads.
 */
import type { Part } from '../format/part.js';
import { LOAD_PRIORITIES, type LoadPriority } from '../format/asset-type.js';
import { Emitter } from './emitter.js';
import type { LoadedAsset } from './loaded-asset.js';
import type { ReadUrgency } from './read-scheduler.js';
import { abortError } from './runtime-error.js';

export type StreamState = 'streaming' | 'done' | 'cancelled' | 'failed';

export interface StreamEvents {
  /** A part arrived and was verified; `asset` is the improved `current`. */
  part: [asset: LoadedAsset, part: Part | undefined];
  done: [asset: LoadedAsset];
  error: [error: Error];
}

export class StreamHandle extends Emitter<StreamEvents> implements ReadUrgency {
  current: LoadedAsset | undefined;
  loadedBytes = 0;
  totalBytes = 0;
  partsLoaded = 0;
  state: StreamState = 'streaming';
  /** Resolves with the full-quality asset; rejects when cancelled or corrupt. */
  readonly done: Promise<LoadedAsset>;
  private readonly controller = new AbortController();
  private resolveDone!: (asset: LoadedAsset) => void;
  private rejectDone!: (error: Error) => void;
  private priorityRank: number;

  constructor(
    readonly key: string,
    priority: LoadPriority,
    private readonly deadlineMs: number,
    signal?: AbortSignal,
  ) {
    super();
    this.priorityRank = LOAD_PRIORITIES.indexOf(priority);
    this.done = new Promise<LoadedAsset>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined);
    if (signal) {
      if (signal.aborted) this.cancel();
      else signal.addEventListener('abort', () => this.cancel(), { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get loadedFraction(): number {
    if (this.state === 'done') return 1;
    return this.totalBytes === 0 ? 0 : this.loadedBytes / this.totalBytes;
  }

  get priority(): LoadPriority {
    return LOAD_PRIORITIES[this.priorityRank]!;
  }

  rank(): number {
    return this.priorityRank;
  }

  deadline(): number {
    return this.deadlineMs;
  }

  /** Changes the urgency of the reads still to come (e.g. `on_demand` when the object went off screen). */
  setPriority(priority: LoadPriority): void {
    this.priorityRank = LOAD_PRIORITIES.indexOf(priority);
  }

  cancel(): void {
    if (this.state !== 'streaming') return;
    this.state = 'cancelled';
    const error = abortError();
    this.controller.abort(error);
    this.rejectDone(error);
  }

  /** Called by the reader when a verified part has been applied. */
  progress(asset: LoadedAsset, part: Part | undefined, bytes: number): void {
    if (this.state !== 'streaming') return;
    this.current = asset;
    this.loadedBytes += bytes;
    this.partsLoaded++;
    this.emit('part', asset, part);
  }

  finish(asset: LoadedAsset): void {
    if (this.state !== 'streaming') return;
    this.current = asset;
    this.loadedBytes = this.totalBytes;
    this.state = 'done';
    this.emit('done', asset);
    this.resolveDone(asset);
  }

  fail(error: Error): void {
    if (this.state !== 'streaming') return;
    this.state = 'failed';
    this.controller.abort(error);
    this.emit('error', error);
    this.rejectDone(error);
  }
}
