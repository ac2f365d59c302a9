import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filesRule } from '../../rules/files/index.js';
import { Builder } from '../../src/engine/builder.js';
import { TargetGraph } from '../../src/graph/target-graph.js';
import { CycleError } from '../../src/graph/cycle-error.js';
import { createRegistry } from '../../src/rule/registry.js';
import { DiskActionCache } from '../../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../../src/store/disk-blob-store.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const N = 10_000;
/** The chain test: 22 s in a serial suite run, 140 s while another file cooked beside it on the shared machine. */
const BUDGET_MS = 300_000;

/** One package: `t0 … t{n-1}`, each a `files` target with its own source; `deps(i)` names its deps. */
function workspaceWith(n: number, deps: (i: number) => string[]): TempWorkspace {
  const files: Record<string, string> = {};
  const lines = ['targets:'];
  for (let i = 0; i < n; i++) {
    files[`pkgs/big/s${i}.txt`] = `source ${i}\n`;
    const list = deps(i);
    lines.push(`  t${i}: { rule: files, srcs: [s${i}.txt]${list.length > 0 ? `, deps: [${list.map((d) => `":${d}"`).join(', ')}]` : ''} }`);
  }
  files['pkgs/big/assets.yaml'] = `${lines.join('\n')}\n`;
  return tempWorkspace(files);
}

function builder(): Builder {
  const workspace = Workspace.at(ws.root, createRegistry([filesRule()]));
  const cacheDir = workspace.config.cacheDir;
  return new Builder({ workspace, jobs: 2, cache: { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) } });
}

describe('graphs far deeper and wider than a recursive walk allows', () => {
  it('builds a 10,000-long dependency chain, dependencies first, and rebuilds only the top after editing it', async () => {
    ws = workspaceWith(N, (i) => (i > 0 ? [`t${i - 1}`] : []));
    const workspace = Workspace.at(ws.root, createRegistry([filesRule()]));
    const graph = TargetGraph.build(workspace, [`//big:t${N - 1}`]);
    const order = graph.topologicalOrder();
    expect(order).toHaveLength(N);
    expect(order[0]).toBe('//big:t0');
    expect(order[N - 1]).toBe(`//big:t${N - 1}`);
    expect(graph.closure(`//big:t${N - 1}`)).toHaveLength(N);
    expect(graph.reverseClosure('//big:t0')).toHaveLength(N - 1);

    const first = await builder().build({ patterns: [`//big:t${N - 1}`], materialize: false });
    expect(first.failed).toBe(0);
    expect(first.executed).toBe(N);
    ws.write(`pkgs/big/s${N - 1}.txt`, 'edited\n');
    const second = await builder().build({ patterns: [`//big:t${N - 1}`], materialize: false });
    expect(second.executed).toBe(1);
    expect(second.cached).toBe(N - 1);
  }, BUDGET_MS);

  it('skips all 9,999 dependents when the bottom of the chain fails', async () => {
    ws = workspaceWith(N, (i) => (i > 0 ? [`t${i - 1}`] : []));
    ws.remove('pkgs/big/s0.txt');
    const summary = await builder().build({ patterns: [`//big:t${N - 1}`], materialize: false, keepGoing: true });
    expect(summary.failed).toBe(1);
    expect(summary.skipped).toBe(N - 1);
  }, BUDGET_MS);

  it('builds a 10,000-wide fan-in into one target', async () => {
    ws = workspaceWith(N + 1, (i) => (i === N ? Array.from({ length: N }, (_, d) => `t${d}`) : []));
    const summary = await builder().build({ patterns: [`//big:t${N}`], materialize: false });
    expect(summary.failed).toBe(0);
    expect(summary.executed).toBe(N + 1);
    expect(summary.graph.depsOf(`//big:t${N}`)).toHaveLength(N);
  }, BUDGET_MS);

  it('reports a cycle at the end of a 10,000-long chain as the whole chain', () => {
    ws = workspaceWith(N, (i) => [`t${(i + 1) % N}`]);
    const workspace = Workspace.at(ws.root, createRegistry([filesRule()]));
    let caught: unknown;
    try {
      TargetGraph.build(workspace, ['//big:t0']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CycleError);
    expect((caught as CycleError).cycle).toHaveLength(N + 1);
    expect((caught as CycleError).cycle[0]).toBe('//big:t0');
  });
});
