import type { OutputVersion } from '../format/hot-reload-protocol.js';

/** One output's verified bytes, with the version they are. */
export interface HeldOutput {
  output: OutputVersion;
  bytes: Uint8Array;
}

/**
 * The outputs' bytes the hot-reload client keeps so the next change of a label fetches only the
 * parts that differ. Bounded: a session that touches thousands of assets would otherwise keep
 * every version's bytes for its whole life. Labels changed least recently go first; a label
 * that is no longer held just fetches its next version whole.
 */
export class HeldOutputs {
  /** Insertion order is recency: a label is re-inserted when it changes. */
  private readonly byLabel = new Map<string, { outputs: Map<string, HeldOutput>; bytes: number }>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  get(label: string): ReadonlyMap<string, HeldOutput> | undefined {
    return this.byLabel.get(label)?.outputs;
  }

  /** Holds `outputs` as the label's newest version, then drops the least recent labels over budget. */
  set(label: string, outputs: Map<string, HeldOutput>): void {
    this.delete(label);
    let bytes = 0;
    for (const held of outputs.values()) bytes += held.bytes.byteLength;
    // A version larger than the whole budget is not held at all (its next change fetches whole).
    if (bytes > this.maxBytes) return;
    this.byLabel.set(label, { outputs, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.byLabel) {
      if (this.total <= this.maxBytes) break;
      this.byLabel.delete(oldest);
      this.total -= entry.bytes;
    }
  }

  delete(label: string): void {
    const entry = this.byLabel.get(label);
    if (!entry) return;
    this.byLabel.delete(label);
    this.total -= entry.bytes;
  }

  /** Bytes held now (what `metrics()` reports). */
  get heldBytes(): number {
    return this.total;
  }
}
