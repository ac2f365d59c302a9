/**
 * A memory byte source whose reads wait until the test releases them, so tests see exactly which
 * reads were issued, in which order, and can hold some back (Bevy's in-memory asset source idea).
 */
import type { ByteSource } from '../../../src/runtime/byte-source.js';
import { memorySource } from '../../../src/runtime/memory-source.js';
import { RuntimeError } from '../../../src/runtime/runtime-error.js';

export interface PendingRead {
  offset: number;
  length: number;
  release(): void;
}

export class GatedSource implements ByteSource {
  readonly name = 'gated';
  /** Reads in the order they were issued. */
  readonly log: { offset: number; length: number }[] = [];
  readonly pending: PendingRead[] = [];
  /** When true, reads complete at once. */
  open = false;
  private readonly inner: ByteSource;

  constructor(readonly bytes: Uint8Array) {
    this.inner = memorySource(bytes);
  }

  size(): Promise<number> {
    return this.inner.size();
  }

  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    this.log.push({ offset, length });
    if (this.open) return this.inner.read(offset, length, signal);
    return new Promise((resolve, reject) => {
      const entry: PendingRead = {
        offset,
        length,
        release: () => {
          this.pending.splice(this.pending.indexOf(entry), 1);
          this.inner.read(offset, length).then(resolve, reject);
        },
      };
      signal?.addEventListener('abort', () => {
        const at = this.pending.indexOf(entry);
        if (at >= 0) this.pending.splice(at, 1);
        reject(new RuntimeError('aborted', 'aborted'));
      });
      this.pending.push(entry);
    });
  }

  /**
   * Resolves once a read is waiting. Digest checks run on WebCrypto (another thread), so the next
   * read of a stream may be issued a few event-loop turns after the previous part arrived.
   */
  async readIssued(turns = 1000): Promise<void> {
    for (let i = 0; i < turns && this.pending.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** Releases the oldest pending read. */
  releaseNext(): void {
    const next = this.pending[0];
    if (!next) throw new Error('no pending read');
    next.release();
  }

  releaseAll(): void {
    while (this.pending.length > 0) this.pending[0]!.release();
  }
}
