/**
 * Wall-clock phases of one kiln build in a fresh process, measured from the outside of the
 * engine (no `src/` changes): node start-up, module import, workspace + YAML load, graph, builder
 * construction (build state load), the build itself. Run as a script:
 *
 *   node dist/bench/phase-probe.js <workspace root>   → prints PhaseTimes as JSON
 *
 * Only `node:` modules are imported statically, so the import phase is timed here and not
 * before the first line runs.
 */
import { pathToFileURL } from 'node:url';

const scriptStart = performance.now();

export interface PhaseTimes {
  /** Process start to the first line of this script (node bootstrap, ESM loader). */
  bootMs: number;
  /** Importing the CLI's module graph (`src/cli/run-cli.js`: every command and every rule). */
  importMs: number;
  /** Finding the workspace root and reading the root assets.yaml. */
  workspaceMs: number;
  /** Every package's assets.yaml read, parsed and validated (the first graph build, minus graphMs). */
  yamlMs: number;
  /** Building the target graph from already-parsed packages. */
  graphMs: number;
  /** Cache stack + Builder constructor: build state and stat cache JSON loaded. */
  stateLoadMs: number;
  /** Builder.build minus its graph: keys, stats, cache lookups, materialize, state save. */
  scheduleMs: number;
  /** Everything in-process, from process start. */
  totalMs: number;
  executed: number;
  cached: number;
}

export async function probePhases(root: string): Promise<PhaseTimes> {
  const bootMs = scriptStart;
  let t = performance.now();
  await import('../src/cli/run-cli.js');
  const { openCache, rules } = await import('../src/cli/open-builder.js');
  const { Workspace } = await import('../src/workspace/workspace.js');
  const { TargetGraph } = await import('../src/graph/target-graph.js');
  const { Builder } = await import('../src/engine/builder.js');
  const lap = (): number => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  const importMs = lap();
  const io = { cwd: root, stdout: () => {}, stderr: () => {}, env: { ...process.env, CI: 'true' }, isTTY: false };
  const workspace = Workspace.open(root, rules());
  const workspaceMs = lap();
  TargetGraph.build(workspace, ['//...']);
  const loadMs = lap();
  TargetGraph.build(workspace, ['//...']);
  const graphMs = lap();
  const cache = openCache({ values: {}, positionals: [] }, io, workspace);
  const builder = new Builder({ workspace, cache });
  const stateLoadMs = lap();
  const summary = await builder.build({ patterns: ['//...'] });
  const buildMs = lap();
  return {
    bootMs,
    importMs,
    workspaceMs,
    yamlMs: loadMs - graphMs,
    graphMs,
    stateLoadMs,
    scheduleMs: buildMs - graphMs,
    totalMs: performance.now(),
    executed: summary.executed,
    cached: summary.cached,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('usage: node dist/bench/phase-probe.js <workspace root>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await probePhases(root))}\n`);
}
