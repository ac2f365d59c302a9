/**
 * Wall-clock phases of one `kiln build //...` in a fresh process, following the CLI's own path
 * step by step from outside (the same functions commands/build.ts calls): node start-up, the
 * build command's light modules, the record key, reading and checking the build record; then
 * either the recorded answer (no-op) or the engine's import and the build of the dirty targets.
 * Run as a script:
 *
 *   node dist/bench/phase-probe.js <workspace root>   → prints PhaseTimes as JSON
 *
 * Only `node:` modules are imported statically, so the import phases are timed here and not
 * before the first line runs.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const scriptStart = performance.now();

export interface PhaseTimes {
  /** Process start to the first line of this script (node bootstrap, ESM loader). */
  bootMs: number;
  /** Importing what `kiln build` loads before it knows whether anything changed. */
  importMs: number;
  /** Finding the workspace root, the installation's identity, the record key. */
  keyMs: number;
  /** Reading the build record's head and leaf table. */
  recordMs: number;
  /** Statting every leaf of the record (sources, assets.yaml files, folders, kiln-out files). */
  statMs: number;
  /** Nothing changed: the recorded summary (0 otherwise). */
  replayMs: number;
  /** Something changed: importing the engine, the rules and the store (0 for a no-op). */
  engineImportMs: number;
  /** Something changed: the workspace, cache stack and Builder (opens LMDB). */
  builderMs: number;
  /** Something changed: Builder.build of the dirty targets, the new record written. */
  buildMs: number;
  /** Everything in-process, from process start. */
  totalMs: number;
  executed: number;
  cached: number;
}

export async function probePhases(root: string): Promise<PhaseTimes> {
  const bootMs = scriptStart;
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  await import('../src/cli/commands/build.js');
  const { installIdentity } = await import('../src/cli/install-identity.js');
  const { findWorkspaceRoot } = await import('../src/workspace/find-root.js');
  const { recordKey } = await import('../src/engine/tracker/build-record.js');
  const { readRecordView, scanRecord } = await import('../src/engine/tracker/record-read.js');
  const { replayRecordedBytes } = await import('../src/engine/recorded-replay.js');
  const { silentReporter } = await import('../src/engine/build-result.js');
  const importMs = lap();
  const found = findWorkspaceRoot(root) ?? root;
  const toolchain = installIdentity();
  const key = recordKey({ toolchain, patterns: ['//...'], platform: '', materialize: true, keepGoing: false });
  const keyMs = lap();
  const view = readRecordView(join(found, '.kiln', 'state'), key, found);
  const recordMs = lap();
  if (!view) throw new Error('no build record in .kiln/state/builds: build once with the CLI first');
  const scan = scanRecord(view);
  const statMs = lap();
  if (!scan) throw new Error('the build record\'s leaf table does not check out');
  const { check } = scan;
  const times = { bootMs, importMs, keyMs, recordMs, statMs, replayMs: 0, engineImportMs: 0, builderMs: 0, buildMs: 0 };
  if (!check.structural && check.inputs.size === 0 && check.outs.size === 0) {
    const replay = replayRecordedBytes(view, scan, { ...silentReporter, cachedQuietly: () => true }, t);
    if (!replay) throw new Error('the build record could not be replayed');
    // What the CLI writes with --summary-json: the record's pre-rendered arrays, copied out.
    const pieces = [...(replay.reportsText() ?? []), ...(replay.materializedText() ?? [])];
    Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
    times.replayMs = lap();
    return { ...times, totalMs: performance.now(), executed: replay.summary.executed, cached: replay.summary.cached };
  }
  const [{ openBuilder }, { buildExtrasDeriver }] = await Promise.all([import('../src/cli/open-builder.js'), import('../src/cli/derive-build-extras.js')]);
  times.engineImportMs = lap();
  const io = { cwd: root, stdout: () => {}, stderr: () => {}, env: { ...process.env, CI: 'true' }, isTTY: false };
  const { builder } = openBuilder({ values: {}, positionals: [] }, io, toolchain);
  times.builderMs = lap();
  // The CLI's own derive: the record this leaves is the one the CLI would leave (its extras too).
  const summary = await builder.build({ patterns: ['//...'], checkedRecord: { view, scan }, derive: buildExtrasDeriver(builder, false) });
  times.buildMs = lap();
  await builder.close();
  return { ...times, totalMs: performance.now(), executed: summary.executed, cached: summary.cached };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('usage: node dist/bench/phase-probe.js <workspace root>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await probePhases(root))}\n`);
}
