/**
 * Debounces file events into batches. One save is many events (atomic rename: create temp, write,
 * rename; write-then-truncate: two writes), so a batch closes only after `quietMs` without events,
 * or `maxWaitMs` after its first event so that a tool writing non-stop still gets builds.
 */
export interface ChangeBatch {
  paths: Set<string>;
  /** Epoch ms of the first event in the batch. */
  firstAt: number;
}

export interface ChangeBatcherOptions {
  quietMs: number;
  maxWaitMs: number;
  /** Called when a batch is ready to take. */
  onReady: () => void;
}

export class ChangeBatcher {
  private batch: ChangeBatch | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;

  constructor(private readonly options: ChangeBatcherOptions) {}

  add(path: string, at: number): void {
    if (!this.batch) this.batch = { paths: new Set(), firstAt: at };
    this.batch.paths.add(path);
    if (this.ready) return;
    if (this.timer) clearTimeout(this.timer);
    const waited = performance.timeOrigin + performance.now() - this.batch.firstAt;
    const delay = Math.max(0, Math.min(this.options.quietMs, this.options.maxWaitMs - waited));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ready = true;
      this.options.onReady();
    }, delay);
  }

  /** Whether a batch has closed and waits to be taken. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Whether events arrived that are not taken yet (closed or not). */
  get pending(): boolean {
    return this.batch !== undefined;
  }

  take(): ChangeBatch | undefined {
    const batch = this.batch;
    this.batch = undefined;
    this.ready = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return batch;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
