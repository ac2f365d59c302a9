import { writeFile } from 'node:fs/promises';

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

/** Chrome trace-event JSON (`--profile`), one row per job slot; opens in Perfetto or chrome://tracing. */
export class TraceRecorder {
  private readonly events: TraceEvent[] = [];
  private readonly origin = performance.now();

  /** Unless recording (`--profile`), spans are not kept: a 10k-target build would hold one object per target to the end for nothing. */
  constructor(private readonly recording = true) {}

  now(): number {
    return performance.now() - this.origin;
  }

  span(name: string, category: string, slot: number, startMs: number, endMs: number, args?: Record<string, unknown>): void {
    if (!this.recording) return;
    this.events.push({ name, cat: category, ph: 'X', ts: Math.round(startMs * 1000), dur: Math.round((endMs - startMs) * 1000), pid: 1, tid: slot, args });
  }

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
    await writeFile(path, JSON.stringify({ traceEvents: [...names, ...this.events], displayTimeUnit: 'ms' }));
  }
}
