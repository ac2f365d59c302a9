/**
 * Soak: 1,000 random edits, creates, deletes and renames (some as atomic saves, some in bursts,
 * with random pauses) on a generated workspace of small `files` and `data` glob targets while
 * `kiln watch //...` runs. Afterwards the client's view (hello + every changed/removed event)
 * equals a clean build of a copy of the final tree, and every output of that clean build is in
 * the watch's kiln-out byte for byte.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { atomicSave, nodeClient, openTestBuilder, startTestWatch } from './support/watch-fixture.js';

const PACKAGES = ['alpha', 'beta', 'gamma/deep', 'delta'];
const NAMES = 12;
const OPS = 1000;

let ws: TempWorkspace;
let copy: string | undefined;
afterAll(() => {
  ws?.cleanup();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** Deterministic PRNG so a failure can be replayed (seed printed on failure). */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it('1,000 random file operations: no lost event, outputs equal a clean build', async () => {
  const seed = Number(process.env.KILN_SOAK_SEED ?? Date.now() % 100000);
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const files: Record<string, string> = {};
  for (const pkg of PACKAGES) {
    files[`pkgs/${pkg}/assets.yaml`] = 'targets:\n  notes: { rule: files, glob: "notes/*.txt" }\n  tables: { rule: data, glob: "tables/*.json" }\n';
    for (let i = 0; i < 4; i++) {
      files[`pkgs/${pkg}/notes/n${i}.txt`] = `note ${i}`;
      files[`pkgs/${pkg}/tables/t${i}.json`] = JSON.stringify({ i });
    }
  }
  ws = tempWorkspace(files);
  const { session, log } = await startTestWatch(ws.root, ['//...']);
  const client = nodeClient(session.url);
  await client.connect();

  const content = (kind: 'notes' | 'tables') => (kind === 'notes' ? `text ${random().toString(36).slice(2)}` : JSON.stringify({ v: Math.floor(random() * 1e6), s: random().toString(36).slice(2, 6) }));
  const pathOf = (pkg: string, kind: 'notes' | 'tables', n: number) => join(ws.root, 'pkgs', pkg, kind, `${kind === 'notes' ? 'n' : 't'}${n}.${kind === 'notes' ? 'txt' : 'json'}`);
  const counts = { edit: 0, atomic: 0, create: 0, delete: 0, rename: 0, burst: 0 };
  const started = Date.now();
  for (let op = 0; op < OPS; op++) {
    const pkg = pick(PACKAGES);
    const kind = pick(['notes', 'tables'] as const);
    const n = Math.floor(random() * NAMES);
    const path = pathOf(pkg, kind, n);
    const exists = existsSync(path);
    const roll = random();
    if (!exists) {
      writeFileSync(path, content(kind));
      counts.create++;
    } else if (roll < 0.35) {
      writeFileSync(path, content(kind));
      counts.edit++;
    } else if (roll < 0.55) {
      atomicSave(path, content(kind));
      counts.atomic++;
    } else if (roll < 0.7) {
      rmSync(path);
      counts.delete++;
    } else if (roll < 0.85) {
      renameSync(path, pathOf(pkg, kind, (n + 1 + Math.floor(random() * (NAMES - 1))) % NAMES));
      counts.rename++;
    } else {
      for (let i = 0; i < 5; i++) writeFileSync(path, content(kind));
      counts.burst++;
    }
    const pause = random();
    // Mostly quick successions (inside one debounce window or during a build), sometimes idle.
    await new Promise((resolve) => setTimeout(resolve, pause < 0.4 ? 0 : pause < 0.8 ? 30 * random() : 40 + 120 * random()));
  }
  const editingMs = Date.now() - started;
  // Let the last events arrive and every build finish.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await session.loop.idle();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await session.loop.idle();
  await client.settled();

  // A clean build of a copy of the final tree, with its own cache.
  copy = mkdtempSync(join(tmpdir(), 'kiln-soak-clean-'));
  cpSync(ws.root, copy, { recursive: true, filter: (src) => !src.includes('.kiln') && !src.includes('kiln-out') });
  const clean = await openTestBuilder(copy).build({ patterns: ['//...'], keepGoing: true });
  expect(clean.failed).toBe(0);
  const expected = new Map(clean.targets.map((t) => [t.label, t.outputs.map((o) => `${o.name}=${o.digest}`).join(',')]));
  const seen = new Map([...client.versions].map(([label, v]) => [label, v.outputs.map((o) => `${o.name}=${o.digest}`).join(',')]));
  const context = `seed ${seed}, ${JSON.stringify(counts)}, ${session.loop.builds} builds, ${log.all.length} messages, ${editingMs} ms editing`;
  expect(Object.fromEntries(seen), context).toEqual(Object.fromEntries(expected));
  expect(client.errors.size, context).toBe(0);

  for (const pkg of PACKAGES) {
    for (const kind of ['notes', 'tables']) {
      const dir = join(copy, 'kiln-out', 'desktop', pkg, kind);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        expect(readFileSync(join(ws.root, 'kiln-out', 'desktop', pkg, kind, name)), `${pkg}/${kind}/${name} (${context})`).toEqual(readFileSync(join(dir, name)));
      }
    }
  }
  console.log(`soak: ${context}`);
  client.close();
  await session.close();
}, 150_000);
