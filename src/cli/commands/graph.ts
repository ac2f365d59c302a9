import { TargetGraph } from '../../graph/target-graph.js';
import type { Command } from '../command.js';
import { EXIT_OK } from '../exit-codes.js';
import { UsageError, openWorkspace } from '../open-builder.js';

export const graphCommand: Command = {
  name: 'graph',
  summary: 'print the dependency graph of targets as Graphviz dot or JSON',
  usage: 'kiln graph [patterns…] [--format dot|json]',
  options: { format: { type: 'string' } },
  async run(args, io) {
    const format = (args.values.format as string | undefined) ?? 'dot';
    if (format !== 'dot' && format !== 'json') throw new UsageError(`--format must be dot or json, got ${format}`);
    const graph = TargetGraph.build(openWorkspace(io), args.positionals.length > 0 ? args.positionals : ['//...']);
    const labels = new Set<string>();
    for (const root of graph.requested) for (const label of graph.closure(root)) labels.add(label);
    if (format === 'dot') io.stdout(graph.toDot([...labels]));
    else {
      const nodes = [...labels].sort().map((label) => ({ label, rule: graph.target(label).rule, deps: graph.depsOf(label) }));
      io.stdout(`${JSON.stringify({ nodes }, null, 2)}\n`);
    }
    return EXIT_OK;
  },
};
