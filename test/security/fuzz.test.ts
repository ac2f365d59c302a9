/**
 * Property-based fuzzing (fast-check) of the three formats kiln reads from outside: action cache
 * entries, bundle indexes (re-checksummed, so the checks behind the checksum are what is tested)
 * and assets.yaml structure. Bounded for CI; KILN_FUZZ_RUNS=<n> multiplies the runs for the
 * README figures. Each property counts attempts, crashes (an exception of the wrong kind), hangs
 * (no answer within the limit), data lost (a file outside the output folder changed) and holes
 * (bad input accepted: an escaping path, or wrong bytes handed out without an error).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { BLOCK, readTarHeader } from '../../src/format/tar-header.js';
import { canonicalBodyText } from '../../src/format/envelope.js';
import { DiagnosticError } from '../../src/diagnostic/diagnostic.js';
import { materialize } from '../../src/engine/materialize.js';
import { digestOf } from '../../src/hash/digest.js';
import { createRegistry } from '../../src/rule/registry.js';
import { openBundle } from '../../src/runtime/bundle-reader.js';
import { sha256Text } from '../../src/runtime/digest-check.js';
import type { LoadedAsset } from '../../src/runtime/loaded-asset.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { RuntimeError } from '../../src/runtime/runtime-error.js';
import { isContainedRelativePath, parseActionEntry } from '../../src/store/action-entry.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { MemoryBlobStore } from '../../src/store/memory-store.js';
import { LocatedError, LocatedErrors } from '../../src/workspace/located-error.js';
import { loadPackage } from '../../src/workspace/package-loader.js';
import { readWorkspaceConfig } from '../../src/workspace/workspace-config.js';
import { YamlFile } from '../../src/workspace/yaml-file.js';
import { sampleBundle, type SampleBundle } from '../runtime/support/sample-bundle.js';

const SCALE = Math.max(1, Number(process.env.KILN_FUZZ_RUNS ?? 1));
const figures: Record<string, { attempts: number; crashes: number; hangs: number; lost: number; holes: number }> = {};
const tally = (name: string) => (figures[name] ??= { attempts: 0, crashes: 0, hangs: 0, lost: 0, holes: 0 });
afterAll(() => {
  for (const [name, f] of Object.entries(figures)) console.log(`fuzz ${name}: ${f.attempts} attempts, ${f.crashes} crashes, ${f.hangs} hangs, ${f.lost} data lost, ${f.holes} holes`);
});

function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), ms)))]).finally(() => clearTimeout(timer));
}

// ── action entries ──────────────────────────────────────────────────────────────────────────

const HASH = digestOf(new TextEncoder().encode('blob')).hash;
const nastyPath = fc.oneof(
  fc.constantFrom('../x.sh', '../../x.sh', '/etc/passwd', 'a/../../b', 'a\\..\\b', 'C:/x', '', '.', 'a//b', 'a/./b', 'nul\0byte', 'ok.bin', 'dir/ok.ktx2', '..', 'a/..'),
  fc.string({ maxLength: 12 }),
  fc.array(fc.constantFrom('a', '..', '.', '', 'b.bin', '/', '\\'), { maxLength: 5 }).map((parts) => parts.join('/')),
);
const digestArb = fc.oneof(
  fc.record({ hash: fc.constant(HASH), size: fc.oneof(fc.nat(), fc.constantFrom(-1, 1.5, 1e300, Number.NaN, 100e9)) }),
  fc.record({ hash: fc.string({ maxLength: 70 }), size: fc.nat() }),
  fc.anything(),
);
const entryArb = fc.oneof(
  fc.record({ kind: fc.constant('result'), outputs: fc.array(fc.record({ name: nastyPath, digest: digestArb, meta: fc.oneof(fc.object(), fc.anything()) }), { maxLength: 4 }), diagnostics: fc.anything(), stats: fc.anything(), durationMs: fc.anything() }, { requiredKeys: ['kind', 'outputs'] }),
  fc.record({ kind: fc.constant('manifest'), discovered: fc.array(nastyPath, { maxLength: 4 }) }),
  fc.anything(),
);

describe('action entries', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kiln-fuzz-ac-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('parse strictly: nothing accepted can name a path outside its folder; nothing throws', async () => {
    const f = tally('action entries');
    const out = join(root, 'ws/kiln-out');
    const sentinel = join(root, 'ws/settings.json');
    mkdirSync(out, { recursive: true });
    writeFileSync(sentinel, 'keep');
    const blobs = new MemoryBlobStore();
    await blobs.put(new TextEncoder().encode('blob'));
    const cache = new DiskActionCache(join(root, 'ac'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(entryArb, fc.boolean(), async (value, asBytes) => {
        f.attempts++;
        let entry;
        try {
          // Half through the disk cache, as bytes someone wrote there.
          if (asBytes) {
            const key = `${(n++).toString(16).padStart(32, '0')}`;
            mkdirSync(join(root, 'ac', key.slice(0, 2)), { recursive: true });
            writeFileSync(join(root, 'ac', key.slice(0, 2), key), JSON.stringify(value) ?? 'undefined');
            entry = await cache.get(key);
          } else {
            entry = parseActionEntry(value);
          }
        } catch {
          f.crashes++;
          return;
        }
        if (!entry) return;
        const names = entry.kind === 'result' ? entry.outputs.map((o) => o.name) : entry.discovered;
        if (!names.every(isContainedRelativePath) || names.some((name) => relative(out, join(out, 'pkg', name)).startsWith('..'))) f.holes++;
        if (entry.kind === 'result') {
          try {
            await materialize(out, 'pkg', entry.outputs, blobs, new Map());
          } catch (error) {
            if (!(error instanceof DiagnosticError)) f.crashes++;
          }
        }
        if (!existsSync(sentinel) || readFileSync(sentinel, 'utf8') !== 'keep') f.lost++;
        const outside = readdirSync(join(root, 'ws')).filter((name) => name !== 'kiln-out' && name !== 'settings.json');
        if (outside.length > 0) f.holes++;
      }),
      { numRuns: 1500 * SCALE, seed: 11 },
    );
    expect(f).toMatchObject({ crashes: 0, hangs: 0, lost: 0, holes: 0 });
  });
});

// ── bundle indexes ──────────────────────────────────────────────────────────────────────────

describe('bundle indexes (valid checksum, lying content)', () => {
  let sample: SampleBundle;
  let reference: Map<string, LoadedAsset>;
  let header: { size: number };
  beforeAll(async () => {
    sample = await sampleBundle();
    header = readTarHeader(sample.tar.subarray(0, BLOCK))!;
    const bundle = await openBundle(memorySource(sample.tar));
    reference = new Map();
    for (const asset of bundle.assets()) reference.set(asset.label, await bundle.load(asset.label));
  });

  /** Every numeric leaf of the index body, as a path, so mutations can aim at them. */
  function numericPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (typeof value === 'number') out.push(path);
    else if (Array.isArray(value)) value.forEach((item, i) => numericPaths(item, [...path, i], out));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) numericPaths(v, [...path, k], out);
    return out;
  }

  it('open and load give the original data or a RuntimeError, within time and memory', async () => {
    const f = tally('bundle indexes');
    const text = new TextDecoder().decode(sample.tar.subarray(BLOCK, BLOCK + header.size));
    const envelope = JSON.parse(text) as { hash: string; body: unknown };
    const paths = numericPaths(envelope.body);
    const huge = fc.constantFrom(0, 1, -1, 2 ** 31, 2 ** 53, 1e8, 3e7, 1e300, 7, 4096);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ at: fc.nat(), value: fc.oneof(huge, fc.integer()) }), { minLength: 1, maxLength: 3 }), async (edits) => {
        f.attempts++;
        const body = JSON.parse(JSON.stringify(envelope.body)) as Record<string, unknown>;
        for (const { at, value } of edits) {
          const path = paths[at % paths.length]!;
          let node: Record<string | number, unknown> = body;
          for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
          node[path[path.length - 1]!] = value;
        }
        // Written back in place at the same length: a longer text is made to fit by shortening
        // the (unused-by-offsets) bundle label, so every entry offset still holds.
        let encoded = new Uint8Array(0);
        for (let shorten = 0; ; shorten++) {
          if (typeof body.bundle === 'string' && shorten > 0) body.bundle = body.bundle.slice(0, -1);
          const hash = await sha256Text(canonicalBodyText(body));
          encoded = new TextEncoder().encode(JSON.stringify({ ...envelope, hash, body }));
          if (encoded.byteLength <= header.size || shorten > 40) break;
        }
        if (encoded.byteLength > header.size) return void f.attempts--; // could not be written in place: not an attempt
        const tar = sample.tar.slice();
        tar.set(encoded, BLOCK);
        tar.fill(0x20, BLOCK + encoded.byteLength, BLOCK + header.size);
        const heapBefore = process.memoryUsage().heapUsed;
        const opened = await withinMs(openBundle(memorySource(tar)).catch((error: unknown) => error), 2000);
        const where = () => JSON.stringify(edits.map((e) => [paths[e.at % paths.length]!.join('.'), e.value]));
        if (opened === 'hang') {
          if (process.env.KILN_FUZZ_DEBUG) console.log('HANG open', where());
          return void f.hangs++;
        }
        if (!(opened instanceof Error) && !('load' in (opened as object))) return void f.crashes++;
        if (opened instanceof Error) {
          if (!(opened instanceof RuntimeError)) f.crashes++;
          return;
        }
        const bundle = opened as Awaited<ReturnType<typeof openBundle>>;
        for (const [label, expected] of reference) {
          const loaded = await withinMs(bundle.load(label).catch((error: unknown) => error), 2000);
          if (loaded === 'hang') {
            f.hangs++;
            if (process.env.KILN_FUZZ_DEBUG) console.log('HANG load', label, where());
          }
          else if (loaded instanceof Error) {
            if (!(loaded instanceof RuntimeError)) f.crashes++;
          } else {
            // A lying index may move an asset, never hand out different bytes: compare what matters.
            const same = JSON.stringify(payload(loaded as LoadedAsset)) === JSON.stringify(payload(expected));
            if (!same) {
              f.holes++;
              if (process.env.KILN_FUZZ_DEBUG) console.log("HOLE", label, JSON.stringify(edits.map((e) => [paths[e.at % paths.length]!.join("."), e.value])));
            }
          }
        }
        if (process.memoryUsage().heapUsed - heapBefore > 512 << 20) f.crashes++;
      }),
      { numRuns: 250 * SCALE, seed: 12 },
    );
    expect(f).toMatchObject({ crashes: 0, hangs: 0, lost: 0, holes: 0 });
  });
});

/** The bytes an asset hands out (mips, LODs, chunks, value), not bookkeeping like labels. */
function payload(asset: LoadedAsset): unknown {
  switch (asset.type) {
    case 'texture':
      return asset.mips.map((m) => (m ? digestOf(m.bytes).hash : null));
    case 'model':
      return asset.lods.map((l) => (l ? digestOf(l).hash : null));
    case 'audio':
      return asset.chunks.map((c) => (c ? digestOf(c).hash : null));
    case 'data':
      return asset.value instanceof Uint8Array ? digestOf(asset.value).hash : asset.value;
    default:
      return 'bytes' in asset ? digestOf((asset as { bytes: Uint8Array }).bytes).hash : null;
  }
}

// ── assets.yaml structure ───────────────────────────────────────────────────────────────────

describe('assets.yaml structure', () => {
  const rules = createRegistry(builtinRules());
  const root = mkdtempSync(join(tmpdir(), 'kiln-fuzz-yaml-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const config = readWorkspaceConfig(root, YamlFile.parse('workspace:\n  name: fuzz\n  packages: pkgs\nplatforms:\n  desktop: {}\n', 'assets.yaml'));

  const scalar = fc.oneof(fc.constantFrom('data', 'texture', 'files', 'bundle', ':a', '//x:y', '../../etc/passwd', '/abs', '*a', '&a x', '~', 'null', '0x10', '1e400', '[', '{'), fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('rule', 'srcs', 'glob', 'deps', 'priority', 'platforms', 'format', 'x'), tie('node'), { maxKeys: 4 })),
  })).node;
  const doc = fc.record({
    targets: fc.dictionary(fc.oneof(fc.constantFrom('a', 'b', 'all', 'x/y', 'bad name', '..'), fc.string({ maxLength: 6 })), value, { maxKeys: 5 }),
    defaults: fc.option(fc.dictionary(fc.constantFrom('data', 'texture', 'nosuch'), value, { maxKeys: 2 }), { nil: undefined }),
  });
  // Raw text mutations too: anchors, aliases, duplicate keys, tabs, truncation.
  const textual = fc.tuple(doc, fc.constantFrom('', '\na: &x [1, 2]\nb: *x\n', '\ntargets: {}\n', '\n\t', '\nx: *nope\n', '\n- list\n')).map(([d, tail]) => JSON.stringify(d) + tail);

  it('loads a package or reports LocatedErrors; never another exception, never a hang', async () => {
    const f = tally('assets.yaml');
    await fc.assert(
      fc.property(textual, fc.nat(), (text, cut) => {
        f.attempts++;
        const source = cut % 5 === 0 ? text.slice(0, cut % (text.length + 1)) : text;
        const started = performance.now();
        try {
          const file = YamlFile.parse(source, 'pkgs/p/assets.yaml');
          loadPackage(config, 'p', file, rules);
        } catch (error) {
          if (!(error instanceof LocatedError || error instanceof LocatedErrors)) f.crashes++;
        }
        if (performance.now() - started > 2000) f.hangs++;
      }),
      { numRuns: 1500 * SCALE, seed: 13 },
    );
    expect(f).toMatchObject({ crashes: 0, hangs: 0, lost: 0, holes: 0 });
  });
});
