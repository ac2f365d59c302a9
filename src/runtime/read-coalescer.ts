/**
 * Merges reads issued together into fewer, larger source reads. Requests made in one synchronous
 * run (a `Promise.all` over every entry, a level's loads started in one frame) wait one microtask,
 * then those for the same source, with the same priority and deadline, whose ranges follow each
 * other closely are read as one run through `ByteSource.readRanges` (one `preadv`, one HTTP range
 * request) and each caller gets its own range back. A file read per entry costs a thread-pool
 * round trip, a scheduler turn and a bandwidth reservation; a run of them costs one of each.
 *
 * Scheduling is unchanged in what callers can observe: only requests of equal urgency share a
 * run, a run is as urgent as its most urgent remaining member (raising one member raises the run)
 * and takes one slot of the concurrency cap. A caller that aborts is rejected at once; the run is
 * withdrawn or cancelled only when all its members have given up. Sources without `readRanges`
 * are read one request at a time, exactly as before.
 */
import type { ByteRange, ByteSource } from './byte-source.js';
import type { ReadUrgency } from './read-scheduler.js';
import { abortError } from './runtime-error.js';

/** Largest run: long enough to amortise a read, short enough that a slot frees often for urgent work. */
export const MAX_RUN_BYTES = 4 << 20;
/** Largest hole between two members read through and thrown away (tar headers and padding are 512–1023 bytes). */
export const MAX_GAP_BYTES = 64 << 10;
/** Members per run (each is one or two iovecs of a preadv; IOV_MAX is 1024). */
export const MAX_RUN_MEMBERS = 256;

/** Reads `ranges` of `source` as one scheduled, rate-limited operation; one result per range. */
export type ExecuteRead = (source: ByteSource, ranges: readonly ByteRange[], urgency: ReadUrgency, signal?: AbortSignal) => Promise<Uint8Array[]>;

interface Request extends ByteRange {
  source: ByteSource;
  urgency: ReadUrgency;
  signal: AbortSignal | undefined;
  rank: number;
  deadline: number;
  settled: boolean;
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

/** The members of one merged read; its urgency is that of its most urgent member still waiting. */
class Run implements ReadUrgency {
  readonly controller = new AbortController();
  private waiting: number;

  constructor(readonly members: readonly Request[]) {
    this.waiting = members.length;
  }

  rank(): number {
    let best = Infinity;
    for (const m of this.members) if (!m.settled) best = Math.min(best, m.urgency.rank());
    return best;
  }

  deadline(): number {
    let best = Infinity;
    for (const m of this.members) if (!m.settled) best = Math.min(best, m.urgency.deadline());
    return best;
  }

  /** A member gave up; the read stops only when none is left. */
  drop(member: Request, error: Error): void {
    if (member.settled) return;
    member.settled = true;
    member.reject(error);
    if (--this.waiting === 0) this.controller.abort(error);
  }
}

export class ReadCoalescer {
  private queued: Request[] = [];

  constructor(
    private readonly execute: ExecuteRead,
    /** Upper bound on a run's bytes right now (the loader lowers it under a bandwidth limit). */
    private readonly maxRunBytes: () => number = () => MAX_RUN_BYTES,
  ) {}

  read(source: ByteSource, offset: number, length: number, urgency: ReadUrgency, signal?: AbortSignal): Promise<Uint8Array> {
    if (!source.readRanges) return this.execute(source, [{ offset, length }], urgency, signal).then((parts) => parts[0]!);
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<Uint8Array>((resolve, reject) => {
      const request: Request = { source, offset, length, urgency, signal, rank: 0, deadline: 0, settled: false, resolve, reject };
      if (this.queued.length === 0) queueMicrotask(() => this.flush());
      this.queued.push(request);
    });
  }

  /** Groups what was queued in the last synchronous run into runs and hands each to `execute`. */
  private flush(): void {
    const requests = this.queued;
    this.queued = [];
    const limit = this.maxRunBytes();
    const live: Request[] = [];
    for (const r of requests) {
      if (r.signal?.aborted) r.reject(abortError(r.signal));
      else live.push(r);
    }
    // urgency is read once here to decide who may share; the run re-reads it whenever it is compared
    for (const r of live) {
      r.rank = r.urgency.rank();
      r.deadline = r.urgency.deadline();
    }
    const sources = new Map<ByteSource, number>();
    for (const r of live) if (!sources.has(r.source)) sources.set(r.source, sources.size);
    const sorted = live
      .map((r, arrival) => ({ r, arrival, source: sources.get(r.source)! }))
      .sort((a, b) => a.source - b.source || a.r.rank - b.r.rank || a.r.deadline - b.r.deadline || a.r.offset - b.r.offset || a.arrival - b.arrival);
    const runs: { members: Request[]; arrival: number }[] = [];
    let current: { members: Request[]; arrival: number; start: number; end: number } | undefined;
    for (const { r, arrival } of sorted) {
      const head = current?.members[0];
      const joins =
        current !== undefined &&
        head !== undefined &&
        head.source === r.source &&
        head.rank === r.rank &&
        head.deadline === r.deadline &&
        r.offset >= current.end &&
        r.offset - current.end <= MAX_GAP_BYTES &&
        r.offset + r.length - current.start <= limit &&
        current.members.length < MAX_RUN_MEMBERS;
      if (joins && current) {
        current.members.push(r);
        current.end = r.offset + r.length;
        current.arrival = Math.min(current.arrival, arrival);
      } else {
        current = { members: [r], arrival, start: r.offset, end: r.offset + r.length };
        runs.push(current);
      }
    }
    // first come, first served among equals: a run queues where its earliest member arrived
    runs.sort((a, b) => a.arrival - b.arrival);
    for (const { members } of runs) this.start(members);
  }

  private start(members: Request[]): void {
    const only = members.length === 1 ? members[0] : undefined;
    if (only) {
      // alone: its own urgency and signal, exactly the read it would have been without merging
      only.settled = true;
      this.execute(only.source, [only], only.urgency, only.signal).then((parts) => only.resolve(parts[0]!), only.reject);
      return;
    }
    const run = new Run(members);
    const detach: (() => void)[] = [];
    for (const m of members) {
      if (!m.signal) continue;
      const signal = m.signal;
      const onAbort = () => run.drop(m, abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      detach.push(() => signal.removeEventListener('abort', onAbort));
    }
    const ranges = members.map((m) => ({ offset: m.offset, length: m.length }));
    this.execute(members[0]!.source, ranges, run, run.controller.signal).then(
      (parts) => {
        for (const d of detach) d();
        members.forEach((m, i) => {
          if (m.settled) return;
          m.settled = true;
          m.resolve(parts[i]!);
        });
      },
      (error: Error) => {
        for (const d of detach) d();
        for (const m of members) run.drop(m, error);
      },
    );
  }
}
