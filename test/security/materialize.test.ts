/**
 * Writing kiln-out is per target: a target whose files cannot be written (a 300-character name,
 * a full disk, bad blobs) fails with its label and the kiln-out path, every bad blob it meets is
 * found in the same pass, no temp file is left behind, and the other targets' files are written.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { forgetRequestGraph, storeRecords, writeStoreRecords } from '../support/local-store-records.js';
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiagnosticError } from '../../src/diagnostic/diagnostic.js';
import { materialize } from '../../src/engine/materialize.js';
import { digestOf } from '../../src/hash/digest.js';
import { MemoryBlobStore } from '../../src/store/memory-store.js';
import { kiln } from '../support/run-kiln.js';
import { type TempWorkspace, tempWorkspace } from '../support/temp-workspace.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    // A disk that fills up half-way through any file whose name contains "full".
    writeFileSync: (path: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, options?: fs.WriteFileOptions) => {
      if (typeof path === 'string' && path.includes('full')) {
        const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        real.writeFileSync(path, bytes.subarray(0, bytes.byteLength >> 1));
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
      }
      return real.writeFileSync(path, data, options);
    },
  };
});

let ws: TempWorkspace | undefined;
const dirs: string[] = [];
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('materialize', () => {
  it('ENOSPC: a labelled error naming the file, no temp file left, the other outputs still written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kiln-out-'));
    dirs.push(out);
    const blobs = new MemoryBlobStore();
    const ok = new TextEncoder().encode('fits');
    const big = new Uint8Array(4096).fill(7);
    const outputs = [
      { name: 'disk-full.bin', digest: await blobs.put(big), meta: {}, parts: [] },
      { name: 'fits.bin', digest: await blobs.put(ok), meta: {}, parts: [] },
    ];
    const error = await materialize(out, 'lvl', outputs, blobs, new Map(), undefined, '//lvl:big').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiagnosticError);
    const [diagnostic] = (error as DiagnosticError).diagnostics;
    expect(diagnostic).toMatchObject({ code: 'materialize-failed', label: '//lvl:big', location: { file: expect.stringMatching(/lvl\/disk-full\.bin$/) } });
    expect(diagnostic!.message).toContain('ENOSPC');
    expect(readdirSync(join(out, 'lvl')).sort()).toEqual(['fits.bin']);
    expect(readFileSync(join(out, 'lvl/fits.bin'), 'utf8')).toBe('fits');
  });

  it('a 300-character target name fails that target with its label; --keep-going writes the rest', () => {
    const long = 'n'.repeat(300);
    ws = tempWorkspace({
      'pkgs/lvl/assets.yaml': `targets:\n  cfg: { rule: data, srcs: [cfg.json] }\n  ${long}: { rule: data, srcs: [cfg.json] }\n`,
      'pkgs/lvl/cfg.json': '{"a": 1}',
    });
    const run = kiln(ws.root, ['build', '//lvl:all', '--keep-going']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`//lvl:${long}`);
    expect(run.stderr).toContain('over the 255-byte limit');
    expect(run.stderr).not.toMatch(/^\s+at .+[(:]\d+/m);
    expect(ws.read('kiln-out/desktop/lvl/cfg.json').toString()).toBe('{"a":1}');
    expect(run.summary?.failed).toBe(1);
  });

  it('same-size garbage in several CAS blobs: one build finds them all (each labelled), the next recovers', () => {
    ws = tempWorkspace({
      'pkgs/lvl/assets.yaml': 'targets:\n  a: { rule: data, srcs: [a.json] }\n  b: { rule: data, srcs: [b.json] }\n  c: { rule: data, srcs: [c.json] }\n',
      'pkgs/lvl/a.json': '{"a": 1}',
      'pkgs/lvl/b.json': '{"b": 2}',
      'pkgs/lvl/c.json': '{"c": 3}',
    });
    expect(kiln(ws.root, ['build', '//lvl:all']).code).toBe(0);
    // Small blobs are records of the embedded store: garbage them there, as a damaged disk would.
    const cacheDir = join(ws.root, '.kiln');
    const blobs = storeRecords(cacheDir, 'cas');
    writeStoreRecords(cacheDir, 'cas', new Map([...blobs].map(([key, bytes]) => [key, Buffer.alloc(bytes.byteLength, 0x3f)])));
    expect(blobs.size).toBe(3);
    forgetRequestGraph(join(ws.root, '.kiln'));
    rmSync(join(ws.root, 'kiln-out'), { recursive: true, force: true });
    const first = kiln(ws.root, ['build', '//lvl:all', '--keep-going']);
    expect(first.code).toBe(1);
    for (const label of ['//lvl:a', '//lvl:b', '//lvl:c']) expect(first.stderr).toContain(label);
    const second = kiln(ws.root, ['build', '//lvl:all']);
    expect(second.code).toBe(0);
    expect(ws.read('kiln-out/desktop/lvl/a.json').toString()).toBe('{"a":1}');
    expect(ws.read('kiln-out/desktop/lvl/c.json').toString()).toBe('{"c":3}');
    expect(digestOf(ws.read('kiln-out/desktop/lvl/b.json')).size).toBe(7);
  });
});
