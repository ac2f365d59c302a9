import { TargetGraph } from '../../graph/target-graph.js';
import type { Command } from '../command.js';
import { EXIT_OK } from '../exit-codes.js';
import { UsageError, openWorkspace } from '../open-builder.js';

const FUNCTION = /^(deps|rdeps|alldeps|allrdeps)\((.+)\)$/;

export const queryCommand: Command = {
  name: 'query',
  summary: 'list targets: a pattern, deps(X) / rdeps(X) (direct) or alldeps(X) / allrdeps(X) (transitive)',
  usage: "kiln query '//levels/...' | 'deps(//levels/forest:bundle)' | 'rdeps(//common:ui)'",
  options: {},
  async run(args, io) {
    const expression = args.positionals[0];
    if (!expression) throw new UsageError('kiln query needs an expression, e.g. deps(//levels/forest:bundle)');
    const workspace = openWorkspace(io);
    const match = FUNCTION.exec(expression.trim());
    let labels: string[];
    if (!match) {
      labels = TargetGraph.build(workspace, [expression]).requested.sort();
    } else {
      const [, fn, inner] = match as unknown as [string, string, string];
      if (fn === 'deps' || fn === 'alldeps') {
        const graph = TargetGraph.build(workspace, [inner]);
        const set = new Set<string>();
        for (const root of graph.requested) {
          const found = fn === 'deps' ? graph.depsOf(root) : graph.closure(root).slice(0, -1);
          for (const label of found) set.add(label);
        }
        labels = [...set].sort();
      } else {
        // Reverse dependencies need the whole universe: anything in the workspace might depend on X.
        const targets = TargetGraph.build(workspace, [inner]).requested;
        const universe = TargetGraph.build(workspace, ['//...']);
        const set = new Set<string>();
        for (const target of targets) for (const label of fn === 'rdeps' ? universe.rdepsOf(target) : universe.reverseClosure(target)) set.add(label);
        labels = [...set].sort();
      }
    }
    io.stdout(labels.length > 0 ? `${labels.join('\n')}\n` : '');
    return EXIT_OK;
  },
};
