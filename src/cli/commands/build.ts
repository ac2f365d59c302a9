import { resolve } from 'node:path';
import { diagnosticError } from '../../diagnostic/diagnostic.js';
import type { BuildSummary } from '../../engine/build-result.js';
import type { RecordedReplay } from '../../engine/recorded-replay.js';
import { renderedOf } from '../../engine/rendered-summary.js';
import type { Command, CommandIO, ParsedArgs } from '../command.js';
import { buildExitCode } from '../build-exit-code.js';
import { keepForStudio, reportBuild, reportRecorded, studioTracePath, type BuildExtras, type ReportedSummary } from '../build-report.js';
import { installIdentity } from '../install-identity.js';
import { ProgressReporter } from '../progress-reporter.js';
import { replayRecordedBuild } from '../replay-recorded-build.js';
import { writeSummaryFile } from '../write-summary-file.js';

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

/**
 * Shared by build, validate and explain: they differ only in what they ask the builder for.
 * A build first asks the build record (tracker/build-record.ts) through the light
 * replay-recorded-build.ts: when no leaf changed, that is the whole build and the engine, the
 * rules and the store are never loaded.
 */
export async function runBuild(args: ParsedArgs, io: CommandIO, mode: { validateOnly: boolean; explain: boolean }): Promise<number> {
  // process.uptime, not performance.now: the first touch of `performance` loads perf_hooks.
  const started = process.uptime() * 1e3;
  const patterns = args.positionals.length > 0 ? args.positionals : ['//...'];
  const reporter = new ProgressReporter(io, {
    explain: mode.explain || args.values.explain === true,
    verbose: args.values.verbose === true,
    live: io.env.CI !== 'true' && io.isTTY,
  });
  const toolchain = installIdentity();
  const useRecord = !mode.validateOnly && args.values.profile === undefined && args.values['check-determinism'] !== true;
  const replayed = useRecord ? await replayRecordedBuild(args, io, patterns, toolchain, reporter, started) : undefined;
  if (replayed && 'replay' in replayed) return finishReplayed(args, io, replayed.replay, replayed.extras);
  const [{ openBuilder }, { workspaceBudgets }, { buildExtrasDeriver }] = await Promise.all([import('../open-builder.js'), import('../../budget/budget-spec.js'), import('../derive-build-extras.js')]);
  const { builder, cache } = openBuilder(args, io, toolchain);
  // Budget typos are configuration errors: say so before cooking anything.
  if (!mode.validateOnly) workspaceBudgets(builder.workspace.config, builder.platform);
  const userTrace = typeof args.values.profile === 'string' ? resolve(io.cwd, args.values.profile) : undefined;
  const tracePath = userTrace ?? (await studioTracePath(builder.workspace.config.cacheDir));
  const derive = buildExtrasDeriver(builder, mode.validateOnly);
  const built = await builder.build({
    patterns,
    keepGoing: args.values['keep-going'] === true,
    validateOnly: mode.validateOnly,
    checkDeterminism: args.values['check-determinism'] === true,
    profilePath: tracePath,
    reporter,
    record: useRecord,
    derive,
    ...(replayed ? { checkedRecord: replayed.checked } : {}),
  });
  // Not a spread: a partial build's `targets` are parsed from its record only when read.
  const { extra } = built;
  delete built.extra;
  const summary: BuildSummary = built;
  if (cache.metrics) {
    summary.remote = { ...cache.metrics };
    if (args.values.verbose === true) {
      const { formatRemoteMetrics } = await import('../../store/remote-metrics.js');
      io.stdout(`remote cache: ${formatRemoteMetrics(cache.metrics)}\n`);
    }
  }
  const extras = (extra as BuildExtras | undefined) ?? derive(summary, () => built.graph, undefined);
  return finish(args, io, summary, extras, { cacheDir: builder.workspace.config.cacheDir, tracePath, ownTrace: userTrace === undefined });
}

async function finish(args: ParsedArgs, io: CommandIO, built: BuildSummary, extras: BuildExtras, studio?: { cacheDir: string; tracePath: string; ownTrace: boolean }): Promise<number> {
  const rendered = renderedOf(built);
  if (rendered) {
    // A partial build: the unchanged targets' reports are copied out of the record, never parsed.
    const count = built.executed + built.cached + built.failed + built.skipped;
    const { summary, overBudget } = await reportRecorded(built, rendered.spoken, count, extras, io);
    // Pieces, never concatenated: one 5 MB buffer at 10k targets (fresh pages to fault in and fill)
    // cost 4–13 ms of a one-file change, and both files are written piece by piece anyway.
    let pieces: Buffer[] | undefined;
    const rendering = (): Buffer[] => (pieces ??= splicedSummary(summary, rendered.reportsText(), rendered.materializedText()).map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
    if (studio) await keepForStudio(studio.cacheDir, summary, studio.tracePath, studio.ownTrace, rendering);
    if (typeof args.values['summary-json'] === 'string') writeSummaryFile(resolve(io.cwd, args.values['summary-json']), rendering());
    return buildExitCode({ failed: summary.failed, skipped: summary.skipped, targets: [...rendered.spoken] }, overBudget);
  }
  const { summary, overBudget } = await reportBuild(built, extras, io);
  if (studio) await keepForStudio(studio.cacheDir, summary satisfies ReportedSummary, studio.tracePath, studio.ownTrace);
  if (typeof args.values['summary-json'] === 'string') {
    writeSummaryFile(resolve(io.cwd, args.values['summary-json']), [`${JSON.stringify(summary, null, 2)}\n`]);
  }
  return buildExitCode(summary, overBudget);
}

/** A no-op's end: the summary JSON written from the record's pre-rendered arrays (replay-recorded-build.ts). */
async function finishReplayed(args: ParsedArgs, io: CommandIO, replay: RecordedReplay, extras: BuildExtras): Promise<number> {
  const { summary, overBudget } = await reportRecorded(replay.summary, [], replay.summary.cached, extras, io);
  const path = args.values['summary-json'];
  if (typeof path === 'string') {
    const reports = replay.reportsText();
    const materialized = replay.materializedText();
    if (!reports || !materialized) throw diagnosticError('cache-entry-invalid', 'the build record went away or changed while it was read: run the build again');
    writeSummaryFile(resolve(io.cwd, path), splicedSummary(summary, reports, materialized));
  }
  return buildExitCode({ failed: 0, skipped: 0, targets: [] }, overBudget);
}

/**
 * `JSON.stringify(summary, null, 2)` with its `targets` and `materialized` arrays replaced by
 * the given pre-rendered inner texts: the top level is written key by key as JSON.stringify
 * writes it (a nested value's lines indented once more: no JSON string holds a raw newline),
 * and the two arrays are the pieces. The summary's keys are walked, not spread, so lazy arrays
 * are never computed.
 */
function splicedSummary(summary: ReportedSummary, reports: (Buffer | string)[], materialized: (Buffer | string)[]): (Buffer | string)[] {
  const pieces: (Buffer | string)[] = [];
  let text = '{';
  let first = true;
  for (const key of Object.keys(summary)) {
    const inner = key === 'targets' ? reports : key === 'materialized' ? materialized : undefined;
    const value = inner ? undefined : JSON.stringify(summary[key as keyof ReportedSummary], null, 2);
    if (!inner && value === undefined) continue;
    text += `${first ? '' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (!inner) {
      text += value!.replaceAll('\n', '\n  ');
      continue;
    }
    if (inner.every((piece) => piece.length === 0)) {
      text += '[]';
      continue;
    }
    pieces.push(`${text}[\n`, ...inner);
    text = '\n  ]';
  }
  pieces.push(`${text}${first ? '' : '\n'}}\n`);
  return pieces;
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'cook targets and everything they need; outputs land in kiln-out/',
  usage: 'kiln build [patterns…] [--platform P] [--jobs N] [--workers N] [--action-timeout S] [--keep-going] [--explain] [--summary-json F] [--profile F] [--check-determinism] [--remote-cache URL] [--remote-cache-mode read|read-write] [--remote-executor grpc://HOST:PORT] [--verbose]',
  options: buildOptions,
  run: (args, io) => runBuild(args, io, { validateOnly: false, explain: false }),
};
