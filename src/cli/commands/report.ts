import { formatDiagnostic } from '../../diagnostic/format-diagnostic.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { budgetHtml } from '../../budget/budget-html.js';
import { budgetsForBuild } from '../../budget/build-budgets.js';
import { workspaceBudgets } from '../../budget/budget-spec.js';
import { formatBudgetTable } from '../../budget/budget-table.js';
import { silentReporter } from '../../engine/build-result.js';
import { pipelineMetrics } from '../../metrics/pipeline-metrics.js';
import type { Command } from '../command.js';
import { EXIT_BUILD_FAILED, EXIT_OK } from '../exit-codes.js';
import { openBuilder, UsageError } from '../open-builder.js';

/**
 * Budgets of the given targets, measured from what they cook to: cached actions answer, so only
 * what is not in the cache runs, and nothing is copied to kiln-out.
 */
export const reportCommand: Command = {
  name: 'report',
  summary: 'check budgets (download, VRAM, triangles, textures, audio, assets) of targets without writing kiln-out',
  usage: 'kiln report [patterns…] [--platform P] [--json | --html FILE] [--jobs N]',
  options: {
    platform: { type: 'string', short: 'p' },
    jobs: { type: 'string', short: 'j' },
    json: { type: 'boolean' },
    html: { type: 'string' },
    'remote-cache': { type: 'string' },
    'remote-cache-mode': { type: 'string' },
  },
  async run(args, io) {
    if (args.values.json === true && args.values.html !== undefined) throw new UsageError('--json and --html cannot be combined');
    const patterns = args.positionals.length > 0 ? args.positionals : ['//...'];
    const { builder } = openBuilder(args, io);
    workspaceBudgets(builder.workspace.config, builder.platform);
    const { graph, ...summary } = await builder.build({ patterns, keepGoing: true, materialize: false, reporter: silentReporter });
    for (const target of summary.targets) {
      if (target.status !== 'failed') continue;
      for (const d of target.diagnostics) if (d.severity === 'error') io.stderr(`ERROR: ${formatDiagnostic(d)}\n`);
    }
    const budgets = budgetsForBuild(builder.workspace, graph, summary.targets, builder.platform);
    if (args.values.json === true) {
      const metrics = pipelineMetrics(summary.targets, (rule) => builder.workspace.rules.get(rule)?.type);
      io.stdout(`${JSON.stringify({ budgets, metrics, failed: summary.failed, skipped: summary.skipped }, null, 2)}\n`);
    } else if (typeof args.values.html === 'string') {
      await writeFile(resolve(io.cwd, args.values.html), budgetHtml(budgets, `kiln budgets: ${patterns.join(' ')}`));
      io.stdout(`wrote ${args.values.html}: ${budgets.results.length} budget(s), ${budgets.errors + budgets.warnings} over\n`);
    } else {
      const table = formatBudgetTable(budgets, 'all');
      io.stdout(table || `no budgets apply to ${patterns.join(' ')} on ${budgets.platform}\n`);
    }
    return budgets.errors > 0 || summary.failed > 0 || summary.skipped > 0 ? EXIT_BUILD_FAILED : EXIT_OK;
  },
};
