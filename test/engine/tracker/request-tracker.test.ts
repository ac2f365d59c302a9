import { readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileDigestKind } from '../../../src/engine/requests/file-digest.js';
import type { RequestKind } from '../../../src/engine/tracker/request-kind.js';
import { LmdbTrackerStore } from '../../../src/engine/tracker/lmdb-tracker-store.js';
import { RequestTracker } from '../../../src/engine/tracker/request-tracker.js';
import { MemoryTrackerStore } from '../../../src/engine/tracker/tracker-store.js';
import { tempWorkspace, type TempWorkspace } from '../../support/temp-workspace.js';
import { DiagnosticError } from '../../../src/diagnostic/diagnostic.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

/** Age files past the racy window so their stat can vouch for them. */
function age(...paths: string[]): void {
  const past = new Date(Date.now() - 10_000);
  for (const path of paths) utimesSync(join(ws.root, path), past, past);
}

/** A little pipeline: file → length of its text → parity of the length, counting runs. */
function pipeline(root: string) {
  const file = fileDigestKind(root);
  const runs = { length: 0, parity: 0, sum: 0 };
  const length: RequestKind<string, number> = {
    name: 'length',
    key: (path) => path,
    run(path, api) {
      runs.length++;
      const digest = api.get(file, path).digest;
      return digest === 'absent' ? -1 : Number(digest.split('-')[1]);
    },
  };
  const parity: RequestKind<string, string> = {
    name: 'parity',
    key: (path) => path,
    run(path, api) {
      runs.parity++;
      return api.get(length, path) % 2 === 0 ? 'even' : 'odd';
    },
  };
  const sum: RequestKind<string[], number> = {
    name: 'sum',
    key: (paths) => paths.join(','),
    run(paths, api) {
      runs.sum++;
      return paths.reduce((n, path) => n + api.get(length, path), 0);
    },
  };
  return { file, length, parity, sum, runs };
}

describe('RequestTracker', () => {
  it('re-runs only the requests that read a changed file, and stops where a value is unchanged', () => {
    ws = tempWorkspace({ 'a.txt': 'aa', 'b.txt': 'bbb' });
    age('a.txt', 'b.txt');
    const tracker = new RequestTracker(new MemoryTrackerStore(), ws.root);
    const p = pipeline(ws.root);
    expect(tracker.get(p.parity, 'a.txt')).toBe('even');
    expect(tracker.get(p.sum, ['a.txt', 'b.txt'])).toBe(5);
    expect(p.runs).toEqual({ length: 2, parity: 1, sum: 1 });

    // Same length, new content: length re-runs, its value is equal, parity and sum do not re-run.
    ws.write('a.txt', 'xx');
    tracker.changed(['a.txt']);
    expect(tracker.get(p.parity, 'a.txt')).toBe('even');
    expect(tracker.get(p.sum, ['a.txt', 'b.txt'])).toBe(5);
    expect(p.runs).toEqual({ length: 3, parity: 1, sum: 1 });

    // A real change reaches the dependents of a.txt only.
    ws.write('a.txt', 'xxx');
    tracker.changed(['a.txt']);
    expect(tracker.get(p.sum, ['a.txt', 'b.txt'])).toBe(6);
    expect(tracker.get(p.parity, 'a.txt')).toBe('odd');
    expect(tracker.get(p.length, 'b.txt')).toBe(3);
    expect(p.runs).toEqual({ length: 4, parity: 2, sum: 2 });
  });

  it('trusts file events in watch mode: an unreported edit is not seen, a reported one is', () => {
    ws = tempWorkspace({ 'a.txt': 'aa' });
    age('a.txt');
    const tracker = new RequestTracker(new MemoryTrackerStore(), ws.root);
    const p = pipeline(ws.root);
    expect(tracker.get(p.length, 'a.txt')).toBe(2);
    ws.write('a.txt', 'aaaa');
    expect(tracker.get(p.length, 'a.txt')).toBe(2);
    tracker.changed(['a.txt']);
    expect(tracker.get(p.length, 'a.txt')).toBe(4);
  });

  it('verifies everything by stat in a new epoch, re-hashing only what changed', () => {
    ws = tempWorkspace({ 'a.txt': 'aa', 'b.txt': 'bbb' });
    age('a.txt', 'b.txt');
    const tracker = new RequestTracker(new MemoryTrackerStore(), ws.root);
    const p = pipeline(ws.root);
    tracker.get(p.sum, ['a.txt', 'b.txt']);
    expect(p.file.hashed).toBe(2);
    ws.write('b.txt', 'bbbb');
    age('b.txt');
    tracker.newEpoch();
    expect(tracker.get(p.sum, ['a.txt', 'b.txt'])).toBe(6);
    expect(p.file.hashed).toBe(3);
    expect(p.runs.sum).toBe(2);
    tracker.newEpoch();
    expect(tracker.get(p.sum, ['a.txt', 'b.txt'])).toBe(6);
    expect(tracker.stats.ran).toBe(0);
  });

  it('picks up where another process left off through the store, running nothing when nothing changed', () => {
    ws = tempWorkspace({ 'a.txt': 'aa', 'b.txt': 'bbb' });
    age('a.txt', 'b.txt');
    const store = LmdbTrackerStore.open(join(ws.root, '.kiln/state'));
    const first = new RequestTracker(store, ws.root);
    first.get(pipeline(ws.root).sum, ['a.txt', 'b.txt']);
    first.save();
    first.close();

    const reopened = LmdbTrackerStore.open(join(ws.root, '.kiln/state'));
    const second = new RequestTracker(reopened, ws.root);
    const p = pipeline(ws.root);
    second.register(p.file, p.length, p.parity, p.sum);
    expect(second.get(p.sum, ['a.txt', 'b.txt'])).toBe(5);
    expect(p.runs).toEqual({ length: 0, parity: 0, sum: 0 });
    expect(p.file.hashed).toBe(0);
    ws.write('a.txt', 'a');
    age('a.txt');
    second.newEpoch();
    expect(second.get(p.sum, ['a.txt', 'b.txt'])).toBe(4);
    expect(p.runs).toEqual({ length: 1, parity: 0, sum: 1 });
    second.close();
  });

  it('never looks up a kind that is not stored, so its ids may pass the store\'s key limit (a graph of thousands of dirty targets)', () => {
    ws = tempWorkspace({ 'a.txt': 'aa', 'b.txt': 'bbb' });
    age('a.txt', 'b.txt');
    const store = LmdbTrackerStore.open(join(ws.root, '.kiln/state'));
    const tracker = new RequestTracker(store, ws.root);
    const p = pipeline(ws.root);
    const many = { ...p.sum, name: 'many', persistent: false };
    // 1,000 paths (most of them absent): an id of ~11,000 bytes, far over LMDB's 1,978.
    const paths = ['a.txt', 'b.txt', ...Array.from({ length: 998 }, (_, i) => `missing-${i}.txt`)];
    expect(tracker.get(many, paths)).toBe(5 - 998);
    tracker.save();
    tracker.newEpoch();
    expect(tracker.get(many, paths)).toBe(5 - 998);
    tracker.close();
  });

  it('re-runs a request that watches a folder when a file appears there, not when a known file is edited', () => {
    ws = tempWorkspace({ 'd/a.txt': 'a' });
    age('d/a.txt');
    const tracker = new RequestTracker(new MemoryTrackerStore(), ws.root);
    const p = pipeline(ws.root);
    let listings = 0;
    const listing: RequestKind<string, string[]> = {
      name: 'listing',
      key: (dir) => dir,
      run(dir, api) {
        listings++;
        api.watchTree(dir);
        return readdirSync(join(ws.root, dir)).sort();
      },
    };
    tracker.get(listing, 'd');
    tracker.get(p.length, 'd/a.txt');
    ws.write('d/a.txt', 'b');
    tracker.changed(['d/a.txt']);
    tracker.get(listing, 'd');
    expect(listings).toBe(1);
    ws.write('d/sub/new.txt', 'n');
    tracker.changed(['d/sub/new.txt']);
    expect(tracker.get(listing, 'd')).toEqual(['a.txt', 'sub']);
    expect(listings).toBe(2);
  });

  it('a folder deleted invalidates exactly the files read below it, at any depth, known before or after the first event', () => {
    ws = tempWorkspace({ 'd/a.txt': 'aa', 'd/sub/b.txt': 'bbb', 'dx/c.txt': 'c', 'e.txt': 'eeee' });
    age('d/a.txt', 'd/sub/b.txt', 'dx/c.txt', 'e.txt');
    const tracker = new RequestTracker(new MemoryTrackerStore(), ws.root);
    const p = pipeline(ws.root);
    tracker.get(p.length, 'd/a.txt');
    tracker.get(p.length, 'dx/c.txt');
    tracker.get(p.length, 'e.txt');
    tracker.changed([]);
    // Read after the reverse edges exist: indexed as it is made.
    tracker.get(p.length, 'd/sub/b.txt');
    expect(p.runs.length).toBe(4);
    ws.remove('d');
    // d/a.txt, d/sub/b.txt and the two length requests above them; not dx/c.txt (same prefix) nor e.txt.
    expect(tracker.changed(['d'])).toBe(4);
    expect(tracker.get(p.length, 'd/a.txt')).toBe(-1);
    expect(tracker.get(p.length, 'd/sub/b.txt')).toBe(-1);
    expect(tracker.get(p.length, 'dx/c.txt')).toBe(1);
    expect(tracker.get(p.length, 'e.txt')).toBe(4);
    expect(p.runs.length).toBe(6);
  });

  it('remembers a failure for the build and re-runs it once its input is fixed', () => {
    ws = tempWorkspace({ 'n.txt': 'x' });
    const tracker = new RequestTracker(new MemoryTrackerStore(), ws.root);
    const file = fileDigestKind(ws.root);
    let runs = 0;
    const strict: RequestKind<string, string> = {
      name: 'strict',
      key: (path) => path,
      run(path, api) {
        runs++;
        const digest = api.get(file, path).digest;
        if (digest.endsWith('-1')) throw new Error('too short');
        return digest;
      },
    };
    expect(() => tracker.get(strict, 'n.txt')).toThrow('too short');
    expect(() => tracker.get(strict, 'n.txt')).toThrow('too short');
    expect(runs).toBe(1);
    ws.write('n.txt', 'long enough');
    tracker.changed(['n.txt']);
    expect(tracker.get(strict, 'n.txt')).toMatch(/-11$/);
  });
  it('lets go of saved values of the kinds it is told to drop, reads them back on demand, and refuses one another build replaced', () => {
    ws = tempWorkspace({ 'a.txt': 'aa', 'b.txt': 'bbb' });
    age('a.txt', 'b.txt');
    const store = new MemoryTrackerStore();
    const tracker = new RequestTracker(store, ws.root);
    const p = pipeline(ws.root);
    expect(tracker.get(p.length, 'a.txt')).toBe(2);
    expect(tracker.get(p.length, 'b.txt')).toBe(3);
    tracker.save(new Set(['length']));
    // Dependents still read the dropped values, through the store, without running anything again.
    expect(tracker.get(p.sum, ['a.txt', 'b.txt'])).toBe(5);
    expect(tracker.get(p.parity, 'b.txt')).toBe('odd');
    expect(p.runs).toEqual({ length: 2, parity: 1, sum: 1 });
    expect(tracker.peek(p.length, 'a.txt')).toBe(2);

    // Another build rewrote one of them with a value this build's dependents never saw.
    const stored = store.nodes.get('length:a.txt')!;
    store.nodes.set('length:a.txt', { ...stored, value: 7, fingerprint: 'another build' });
    let thrown: unknown;
    try {
      tracker.get(p.parity, 'a.txt');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DiagnosticError);
    expect((thrown as DiagnosticError).diagnostics.map((d) => d.code)).toEqual(['state-changed']);
  });
  it('keeps the fields a dropped kind names in kept: getKept reads them without the store, with the same edge as get', () => {
    ws = tempWorkspace({ 'a.txt': 'aa' });
    age('a.txt');
    const store = new MemoryTrackerStore();
    const tracker = new RequestTracker(store, ws.root);
    const file = fileDigestKind(ws.root);
    const kept = ['size'] as const;
    const measured: RequestKind<string, { size: number; digest: string }> & { readonly kept: typeof kept } = {
      name: 'measured',
      kept,
      key: (path) => path,
      run: (path, api) => {
        const digest = api.get(file, path).digest;
        return { size: Number(digest.slice(digest.lastIndexOf('-') + 1)), digest };
      },
    };
    let runs = 0;
    const doubled: RequestKind<string, number> = {
      name: 'doubled',
      key: (path) => path,
      run: (path, api) => {
        runs++;
        return 2 * api.getKept(measured, path).size;
      },
    };
    expect(tracker.get(doubled, 'a.txt')).toBe(4);
    tracker.save(new Set(['measured']));
    // The store's node is gone: a read of the whole value would fail, the kept field does not.
    store.nodes.delete('measured:a.txt');
    tracker.forget(doubled, 'a.txt');
    expect(tracker.get(doubled, 'a.txt')).toBe(4);
    expect(runs).toBe(2);
    expect(() => tracker.get(measured, 'a.txt')).toThrow(/replaced by another build/);
    // The edge is recorded: an edit of the file reaches the reader through the dropped node.
    ws.write('a.txt', 'aaaaa');
    tracker.changed(['a.txt']);
    expect(tracker.get(doubled, 'a.txt')).toBe(10);
  });
});

describe('RequestTracker over an empty store', () => {
  /** Counts point lookups. */
  class CountingStore extends MemoryTrackerStore {
    lookups = 0;
    override get(id: string) {
      this.lookups++;
      return super.get(id);
    }
  }

  it('looks nothing up while it builds from nothing, and reads what it saved in the next process', () => {
    ws = tempWorkspace({ 'a.txt': 'abc' });
    age('a.txt');
    const store = new CountingStore();
    const cold = pipeline(ws.root);
    const first = new RequestTracker(store, ws.root);
    expect(first.get(cold.parity, 'a.txt')).toBe('odd');
    first.save();
    expect(store.lookups).toBe(0);

    const warm = pipeline(ws.root);
    const second = new RequestTracker(store, ws.root);
    second.register(warm.file, warm.length, warm.parity);
    second.newEpoch();
    expect(second.get(warm.parity, 'a.txt')).toBe('odd');
    expect(store.lookups).toBeGreaterThan(0);
    expect(warm.runs.parity).toBe(0);
  });
});
