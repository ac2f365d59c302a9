import { describe, expect, it } from 'vitest';
import { AssetLoader } from '../../src/runtime/asset-loader.js';
import type { ByteRange, ByteSource } from '../../src/runtime/byte-source.js';
import { fileSource } from '../../src/runtime/file-source.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { openBundle } from '../../src/runtime/bundle-reader.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, settle } from './support/fake-clock.js';
import { sampleBundle } from './support/sample-bundle.js';

const bytes = Uint8Array.from({ length: 256 * 1024 }, (_, i) => (i * 31) & 255);

/** A memory source that logs each underlying operation and holds merged reads until released. */
function loggingSource(gated = false) {
  const inner = memorySource(bytes);
  const log: ByteRange[][] = [];
  const held: (() => void)[] = [];
  const source: ByteSource = {
    name: 'logging',
    size: () => inner.size(),
    read: (offset, length, signal) => {
      log.push([{ offset, length }]);
      if (!gated) return inner.read(offset, length, signal);
      return new Promise((resolve, reject) => held.push(() => inner.read(offset, length, signal).then(resolve, reject)));
    },
    readRanges: (ranges, signal) => {
      log.push([...ranges]);
      if (!gated) return inner.readRanges!(ranges, signal);
      return new Promise((resolve, reject) => held.push(() => inner.readRanges!(ranges, signal).then(resolve, reject)));
    },
  };
  return { source, log, held };
}

const urgency = (rank: number, deadline = Infinity) => ({ rank: () => rank, deadline: () => deadline });

describe('read coalescing', () => {
  it('merges neighbouring reads issued together into one source operation, each caller getting its own range', async () => {
    const { source, log } = loggingSource();
    const loader = new AssetLoader({ clock: new FakeClock() });
    const ranges = [
      { offset: 1024, length: 100 },
      { offset: 0, length: 512 },
      { offset: 1200, length: 300 }, // 76-byte gap: read through
      { offset: 200_000, length: 10 }, // too far: its own read
    ];
    const got = await Promise.all(ranges.map((r) => loader.read(source, r.offset, r.length, urgency(2))));
    got.forEach((b, i) => expect([...b]).toEqual([...bytes.subarray(ranges[i]!.offset, ranges[i]!.offset + ranges[i]!.length)]));
    expect(log).toEqual([
      [
        { offset: 0, length: 512 },
        { offset: 1024, length: 100 },
        { offset: 1200, length: 300 },
      ],
      [{ offset: 200_000, length: 10 }],
    ]);
    expect(loader.metrics().reads).toBe(2);
  });

  it('never merges reads of different priority or deadline, and serves the merged run in priority order', async () => {
    const { source, log, held } = loggingSource(true);
    const loader = new AssetLoader({ clock: new FakeClock(), maxConcurrentReads: 1 });
    const blocker = loader.read(source, 60_000, 10, urgency(0));
    await settle();
    const reads = [
      loader.read(source, 0, 100, urgency(4)),
      loader.read(source, 100, 100, urgency(4)),
      loader.read(source, 200, 100, urgency(0)),
      loader.read(source, 300, 100, urgency(2, 50)),
      loader.read(source, 400, 100, urgency(2, 10)),
    ];
    for (let i = 0; i < 5; i++) {
      await settle();
      held.shift()!();
    }
    await Promise.all([blocker, ...reads]);
    expect(log.slice(1).map((run) => run.map((r) => r.offset))).toEqual([[200], [400], [300], [0, 100]]);
  });

  it('rejects a member that aborts at once, keeps reading for the others, and cancels a run nobody wants', async () => {
    const { source, log, held } = loggingSource(true);
    const loader = new AssetLoader({ clock: new FakeClock() });
    const a = new AbortController();
    const b = new AbortController();
    const first = loader.read(source, 0, 100, urgency(2), a.signal);
    const second = loader.read(source, 100, 100, urgency(2));
    const firstOutcome = first.catch((e: Error) => e);
    await settle();
    a.abort();
    expect(await firstOutcome).toMatchObject({ code: 'aborted' });
    held.shift()!();
    expect([...(await second)]).toEqual([...bytes.subarray(100, 200)]);

    const third = loader.read(source, 1000, 10, urgency(2), b.signal).catch((e: Error) => e);
    const fourth = loader.read(source, 1010, 10, urgency(2), b.signal).catch((e: Error) => e);
    await settle();
    b.abort();
    expect(await third).toMatchObject({ code: 'aborted' });
    expect(await fourth).toMatchObject({ code: 'aborted' });
    expect(log).toHaveLength(2);
  });

  it('reads a whole bundle from a file with far fewer reads than entries, every entry intact', async () => {
    const sample = await sampleBundle();
    const dir = await mkdtemp(join(tmpdir(), 'kiln-coalesce-'));
    try {
      const path = join(dir, 'bundle.tar');
      await writeFile(path, sample.tar);
      const bundle = await openBundle(fileSource(path));
      const before = bundle.metrics().reads;
      const entries = bundle.index.entries;
      const all = await Promise.all(entries.map((e) => bundle.readEntry(e.path)));
      expect(all.map((b) => b.byteLength)).toEqual(entries.map((e) => e.raw.size));
      expect(bundle.metrics().reads - before).toBeLessThan(entries.length);
      // each entry owns its memory (beyond Node's small-buffer pool): a cached asset never keeps its neighbours alive
      const stored = all.filter((b, i) => entries[i]!.compression === 'none' && b.byteLength > 8192);
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.every((b) => b.byteOffset === 0 && b.buffer.byteLength === b.byteLength)).toBe(true);
      await bundle.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
