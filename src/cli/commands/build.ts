import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BuildSummary } from '../../engine/build-result.js';
import type { Command, CommandIO, ParsedArgs } from '../command.js';
import { buildExitCode } from '../build-exit-code.js';
import { formatRemoteMetrics } from '../../store/remote-metrics.js';
import { openBuilder } from '../open-builder.js';
import { ProgressReporter } from '../progress-reporter.js';
import { workspaceBudgets } from '../../budget/budget-spec.js';
import { finishBuildReport, studioTracePath } from '../build-report.js';

export const buildOptions = {
  platform: { type: 'string', short: 'p' },
  jobs: { type: 'string', short: 'j' },
  workers: { type: 'string' },
  'action-timeout': { type: 'string' },
  'keep-going': { type: 'boolean', short: 'k' },
  explain: { type: 'boolean' },
  'summary-json': { type: 'string' },
  profile: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  'check-determinism': { type: 'boolean' },
  'remote-cache': { type: 'string' },
  'remote-cache-mode': { type: 'string' },
  'remote-executor': { type: 'string' },
} as const;

/** Shared by build, validate and explain: they differ only in what they ask the builder for. */
export async function runBuild(args: ParsedArgs, io: CommandIO, mode: { validateOnly: boolean; explain: boolean }): Promise<number> {
  const patterns = args.positionals.length > 0 ? args.positionals : ['//...'];
  const { builder, cache } = openBuilder(args, io);
  const reporter = new ProgressReporter(io, {
    explain: mode.explain || args.values.explain === true,
    verbose: args.values.verbose === true,
    live: io.isTTY && io.env.CI !== 'true',
  });
  // Budget typos are configuration errors: say so before cooking anything.
  if (!mode.validateOnly) workspaceBudgets(builder.workspace.config, builder.platform);
  const userTrace = typeof args.values.profile === 'string' ? resolve(io.cwd, args.values.profile) : undefined;
  const tracePath = userTrace ?? studioTracePath(builder.workspace.config.cacheDir);
  const { graph, ...built } = await builder.build({
    patterns,
    keepGoing: args.values['keep-going'] === true,
    validateOnly: mode.validateOnly,
    checkDeterminism: args.values['check-determinism'] === true,
    profilePath: tracePath,
    reporter,
  });
  if (cache.metrics) {
    built.remote = { ...cache.metrics };
    if (args.values.verbose === true) io.stdout(`remote cache: ${formatRemoteMetrics(cache.metrics)}\n`);
  }
  const { summary, overBudget } = await finishBuildReport({ builder, graph, summary: built satisfies BuildSummary, io, checkBudgets: !mode.validateOnly, tracePath, ownTrace: userTrace === undefined });
  if (typeof args.values['summary-json'] === 'string') {
    await writeFile(resolve(io.cwd, args.values['summary-json']), `${JSON.stringify(summary, null, 2)}\n`);
  }
  return buildExitCode(summary, overBudget);
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'cook targets and everything they need; outputs land in kiln-out/',
  usage: 'kiln build [patterns…] [--platform P] [--jobs N] [--workers N] [--action-timeout S] [--keep-going] [--explain] [--summary-json F] [--profile F] [--check-determinism] [--remote-cache URL] [--remote-cache-mode read|read-write] [--remote-executor grpc://HOST:PORT] [--verbose]',
  options: buildOptions,
  run: (args, io) => runBuild(args, io, { validateOnly: false, explain: false }),
};
