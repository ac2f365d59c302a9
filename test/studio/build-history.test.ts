import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { historyDir, KEPT_BUILDS, listBuilds, readBuildFile, recordBuild } from '../../src/studio/build-history.js';

describe('the studio build history', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the newest builds whole when older summary files are reused for newer ones', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kiln-history-'));
    dirs.push(cacheDir);
    const summaries = new Map<string, string>();
    // Long and short summaries alternate: a reused file that held a longer one must be cut to the new length.
    for (let n = 0; n < KEPT_BUILDS + 5; n++) {
      const text = JSON.stringify({ platform: 'desktop', executed: n, cached: 0, failed: 0, skipped: 0, durationMs: 1, targets: [], pad: 'x'.repeat(n % 7 < 3 ? 5000 : 10) });
      // As bytes, as a value, or as pieces of its text (how a partial build hands it over).
      const given = n % 3 === 0 ? Buffer.from(text) : n % 3 === 1 ? [Buffer.from(text.slice(0, 7)), Buffer.from(text.slice(7, 40)), Buffer.from(text.slice(40))] : (JSON.parse(text) as object);
      const id = await recordBuild(cacheDir, given, `{"traceEvents":[${n}]}`);
      summaries.set(id, text);
    }
    const kept = listBuilds(cacheDir);
    expect(kept).toHaveLength(KEPT_BUILDS);
    for (const { id } of kept) {
      expect(readBuildFile(cacheDir, id, 'summary')).toBe(summaries.get(id));
      expect(readBuildFile(cacheDir, id, 'trace')).toMatch(/^\{"traceEvents":\[\d+\]\}$/);
    }
    // The newest builds are the ones kept, and nothing else is left in the folder (no temp files, no orphan traces).
    expect(kept.map((b) => JSON.parse(readBuildFile(cacheDir, b.id, 'summary')!).executed)).toEqual([...Array(KEPT_BUILDS).keys()].map((i) => KEPT_BUILDS + 4 - i));
    expect(readdirSync(historyDir(cacheDir)).sort()).toEqual(kept.flatMap((b) => [`${b.id}.summary.json`, `${b.id}.trace.json`]).sort());
  });
});
