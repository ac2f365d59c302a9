/**
 * Test files in longest-first order, so the two workers of a 2-core CI machine finish together
 * instead of one of them starting a 100 s file when everything else is done. Vitest orders by the
 * durations of the previous run when it has them, but CI runs a fresh clone, where it falls back
 * to file size — and the slow files here are short ones that wait on builds, kills or a
 * Buildbarn timeout. For files with no previous duration the table below stands in.
 */
import { relative } from 'node:path';
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

/**
 * Seconds per file (fork start-up, imports and hooks included: the time from the previous file's
 * end in one whole serial run with CI=true on the shared 2-core machine, 2026-12-02). Only the
 * order matters; a file missing here runs after these, in vitest's own order. three-gltf-loader
 * is first because it usually cooks the browser tests' sample for every platform
 * (cooked-platforms.ts); webgl-texture-upload then mostly finds it cooked.
 */
const MEASURED_SECONDS: ReadonlyMap<string, number> = new Map([
  ['test/e2e/three-gltf-loader.test.ts', 317],
  ['test/e2e/crash-safety.test.ts', 120],
  ['test/e2e/remote-execution.test.ts', 111],
  ['test/e2e/remote-execution-worker-loss.test.ts', 103],
  ['test/e2e/reproducible-builds.test.ts', 63],
  ['test/runtime/hot-reload-whole-assets.test.ts', 44],
  ['test/engine/deep-graphs.test.ts', 43],
  ['test/e2e/concurrent-builds.test.ts', 36],
  ['test/e2e/webgl-texture-upload.test.ts', 35],
  ['test/e2e/sample-project.test.ts', 35],
  ['test/watch/watch-soak.test.ts', 34],
  ['test/rules/model/corpus.test.ts', 30],
  ['test/e2e/bazel-remote-cache.test.ts', 25],
  ['test/runtime/reader-fuzz.test.ts', 24],
  ['test/rules/texture/corpus.test.ts', 21],
  ['test/engine/runner/pool-kill.test.ts', 19],
  ['test/e2e/remote-cache.test.ts', 16],
  ['test/runtime/streaming-e2e.test.ts', 15],
  ['test/security/workspace.test.ts', 15],
  ['test/e2e/bad-input.test.ts', 13],
  ['test/e2e/gc.test.ts', 12],
  ['test/budget/budgets.test.ts', 12],
  ['test/rules/model/sample-props.test.ts', 11],
  ['test/runtime/disk-cache/browser-e2e.test.ts', 10],
  ['test/store/bazel-remote-cache.test.ts', 10],
  ['test/cli/commands/doctor.test.ts', 9],
  ['test/e2e/kill-during-writes.test.ts', 9],
  ['test/e2e/readme-runtime.test.ts', 9],
  ['test/rules/audio/audio-dsp.test.ts', 9],
  ['test/e2e/up-to-date.test.ts', 8],
  ['test/e2e/local-store.test.ts', 8],
  ['test/store/local-cache-stack.test.ts', 7],
  ['test/e2e/cli-commands.test.ts', 7],
  ['test/rules/font/font.test.ts', 6],
  ['test/security/cli.test.ts', 6],
  ['test/runtime/hot-reload-browser.test.ts', 6],
]);

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const seconds = (spec: TestSpecification): number => {
      const path = relative(this.ctx.config.root, spec.moduleId).split('\\').join('/');
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path}`);
      return cached ? cached.duration / 1000 : (MEASURED_SECONDS.get(path) ?? 0);
    };
    // Array.prototype.sort is stable: equal weights keep vitest's order.
    return base.map((spec) => ({ spec, weight: seconds(spec) })).sort((a, b) => b.weight - a.weight).map(({ spec }) => spec);
  }
}
