import { open } from 'node:fs/promises';

interface TraceEvent {
  name: string;
  cat: string;
  ph: 'X' | 'M';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

/** Events per write while the trace file is written (its text is never held whole). */
const EVENTS_PER_WRITE = 2048;

/**
 * Chrome trace-event JSON (`--profile`, and the studio's trace of every CLI build), one row per
 * job slot; opens in Perfetto or chrome://tracing. Spans are kept as columns (a few numbers and
 * two shared strings per span) and become event objects only while the file is written, a chunk
 * at a time: an object per span, then the whole file's text at once, were ~1.3 MB and ~2 MB of a
 * 10k cold build's heap at its very end, where its peak is.
 */
export class TraceRecorder {
  private readonly names: string[] = [];
  private readonly cats: string[] = [];
  private readonly tids: number[] = [];
  private readonly starts: number[] = [];
  private readonly durations: number[] = [];
  /** Span index → its args, for the few spans that have any. */
  private readonly args = new Map<number, Record<string, unknown>>();
  private readonly origin = performance.now();

  /** Unless recording (`--profile`), spans are not kept: a 10k-target build would hold one object per target to the end for nothing. */
  constructor(private readonly recording = true) {}

  now(): number {
    return performance.now() - this.origin;
  }

  span(name: string, category: string, slot: number, startMs: number, endMs: number, args?: Record<string, unknown>): void {
    if (!this.recording) return;
    if (args !== undefined) this.args.set(this.names.length, args);
    this.names.push(name);
    this.cats.push(category);
    this.tids.push(slot);
    this.starts.push(Math.round(startMs * 1000));
    this.durations.push(Math.round((endMs - startMs) * 1000));
  }

  /** The file: the same bytes as `JSON.stringify({ traceEvents, displayTimeUnit: 'ms' })`. */
  async write(path: string, jobs: number): Promise<void> {
    const names: TraceEvent[] = Array.from({ length: jobs + 1 }, (_, tid) => ({
      name: 'thread_name',
      cat: '__metadata',
      ph: 'M',
      ts: 0,
      pid: 1,
      tid,
      args: { name: tid === jobs ? 'kiln' : `job ${tid}` },
    }));
    const file = await open(path, 'w');
    try {
      let chunk = names.map((event) => JSON.stringify(event));
      await file.write(`{"traceEvents":[${chunk.join(',')}`);
      const count = this.names.length;
      for (let from = 0; from < count; from += EVENTS_PER_WRITE) {
        chunk = [];
        for (let i = from; i < Math.min(count, from + EVENTS_PER_WRITE); i++) chunk.push(JSON.stringify(this.event(i)));
        await file.write(`${names.length > 0 || from > 0 ? ',' : ''}${chunk.join(',')}`);
      }
      await file.write('],"displayTimeUnit":"ms"}');
    } finally {
      await file.close();
    }
  }

  private event(i: number): TraceEvent {
    return { name: this.names[i]!, cat: this.cats[i]!, ph: 'X', ts: this.starts[i]!, dur: this.durations[i]!, pid: 1, tid: this.tids[i]!, args: this.args.get(i) };
  }
}
