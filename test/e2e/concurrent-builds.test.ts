/**
 * Concurrency through the CLI: several `kiln build` processes on one workspace and one local cache
 * at once. There is no lock: every CAS/action-cache/kiln-out write is a temp file + rename into a
 * content-addressed (or deterministic) name, so racing writers write the same bytes and readers
 * see a whole file or none. The per-platform build state is last-writer-wins and only an
 * accelerator; the GC test below checks it does not lose what another build needs.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kiln } from '../support/run-kiln.js';
import { filesNamed, treeDifferences, treeDigests } from './support/file-tree.js';
import { type GeneratedWorkspace, generateWorkspace } from './support/generated-workspace.js';
import { spawnKiln } from './support/spawn-kiln.js';

describe('concurrent builds on one workspace and cache', () => {
  let ws: GeneratedWorkspace;
  let reference: Map<string, string>;

  beforeAll(async () => {
    ws = await generateWorkspace({ levels: 4, textures: 5, bc7: 1, size: 192, prefix: 'kiln-conc-' });
    const clean = `${ws.root}-clean`;
    cpSync(ws.root, clean, { recursive: true });
    const run = kiln(clean, ['build', '//...']);
    expect(run.code, run.stderr).toBe(0);
    reference = treeDigests(join(clean, 'kiln-out'));
    rmSync(clean, { recursive: true, force: true });
  });
  afterAll(() => ws?.cleanup());

  it('four builds of overlapping targets at once all succeed with correct outputs', async () => {
    const [b0, b1, b2, b3] = ws.bundles as [string, string, string, string];
    const patterns = [[b0, b1], [b1, b2], [b2, b3, '//common:logo'], ['//...']];
    const runs = patterns.map((targets, i) => spawnKiln(ws.root, ['build', ...targets, '--jobs', String(1 + (i % 2))]));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const [i, result] of results.entries()) {
      expect(result.code, `build ${i} (${patterns[i]!.join(' ')}):\n${result.stderr}`).toBe(0);
      expect(result.stderr).toBe('');
    }
    expect(treeDifferences(reference, treeDigests(join(ws.root, 'kiln-out')))).toEqual([]);
    expect(filesNamed(join(ws.root, '.kiln'), '.tmp-')).toEqual([]);
    // Whatever state file won, the cache holds every result: nothing runs again.
    for (const targets of patterns) expect(kiln(ws.root, ['build', ...targets]).summary?.executed, targets.join(' ')).toBe(0);
  }, 120_000);

  it('keeps every concurrent build in the build state, so GC protects both', async () => {
    rmSync(join(ws.root, '.kiln'), { recursive: true, force: true });
    rmSync(join(ws.root, 'kiln-out'), { recursive: true, force: true });
    const [b0, b1] = ws.bundles as [string, string];
    // Both load the (empty) state before either saves it: the later save must not drop the other's targets.
    const results = await Promise.all([spawnKiln(ws.root, ['build', b0]).done, spawnKiln(ws.root, ['build', b1]).done]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const gc = kiln(ws.root, ['gc', '--max-size', '1', '--grace', '0s']);
    expect(gc.code, gc.stderr).toBe(0);
    const noop = kiln(ws.root, ['build', b0, b1]);
    expect(noop.code, noop.stderr).toBe(0);
    expect(noop.summary?.executed).toBe(0);
  }, 120_000);
});
