import { join } from 'node:path';
import type { BuildReporter } from '../engine/build-result.js';
import { replayRecordedBytes, type RecordedReplay } from '../engine/recorded-replay.js';
import { recordKey, type RecordView } from '../engine/tracker/build-record.js';
import { readRecordView, scanRecord } from '../engine/tracker/record-read.js';
import type { LeafScan } from '../engine/tracker/record-leaves.js';
import { findWorkspaceRoot } from '../workspace/find-root.js';
import type { BuildExtras } from './build-report.js';
import type { CommandIO, ParsedArgs } from './command.js';

/**
 * `kiln build` when nothing changed: the build record of this request (the engine's, keyed the
 * same way the Builder keys it) answers with every target cached, after statting its leaves —
 * no rules, no engine, no store loaded, no report parsed (the summary JSON is copied out of the
 * record's pre-rendered bytes). Undefined whenever anything is not plainly so (no record, a
 * remote cache or executor in play, a flag the full path must judge, --verbose): the caller then
 * runs the full path, which gives every error and rebuilds what changed. Something changed: the
 * record as read and checked, so the builder does not read it again.
 */
export async function replayRecordedBuild(args: ParsedArgs, io: CommandIO, patterns: readonly string[], toolchain: string, reporter: BuildReporter, started: number): Promise<{ replay: RecordedReplay; extras: BuildExtras } | { checked: { view: RecordView; scan: LeafScan } } | undefined> {
  const v = args.values;
  if (v['remote-cache'] !== undefined || v['remote-cache-mode'] !== undefined || v['remote-executor'] !== undefined) return undefined;
  if (Object.keys(io.env).some((name) => name.startsWith('KILN_REMOTE') && io.env[name])) return undefined;
  const root = findWorkspaceRoot(io.cwd);
  if (!root) return undefined;
  const key = recordKey({ toolchain, patterns, platform: (v.platform as string | undefined) ?? '', materialize: true, keepGoing: v['keep-going'] === true });
  const runnerFlags = { jobs: v.jobs as string | undefined, workers: v.workers as string | undefined, 'action-timeout': v['action-timeout'] as string | undefined };
  // The usual case reads no YAML at all (the yaml library alone costs more than the rest of a
  // no-op): a record in the default cache folder, written when the root assets.yaml had the
  // stat it has now (one of its leaves), was written with the folders that file still names.
  let view = Object.values(runnerFlags).every((flag) => flag === undefined) ? readRecordView(join(root, '.kiln', 'state'), key, root) : undefined;
  if (!view) {
    const [{ readWorkspaceConfig }, { YamlFile }, { runnerSettings }] = await Promise.all([import('../workspace/workspace-config.js'), import('../workspace/yaml-file.js'), import('./runner-flags.js')]);
    let config;
    try {
      config = readWorkspaceConfig(root, YamlFile.read(join(root, 'assets.yaml'), 'assets.yaml'));
    } catch {
      return undefined;
    }
    if (config.remoteCache || 'error' in runnerSettings(runnerFlags, config.runner)) return undefined;
    view = readRecordView(join(config.cacheDir, 'state'), key, config.root, config.outDir);
  }
  if (!view || typeof (view.head.extra as BuildExtras | undefined)?.types !== 'object') return undefined;
  const scan = scanRecord(view);
  if (!scan) return undefined;
  const { check } = scan;
  // Something changed: the builder takes it from here, without reading the record again.
  if (check.structural || check.inputs.size > 0 || check.outs.size > 0) return { checked: { view, scan } };
  const replay = replayRecordedBytes(view, scan, reporter, started);
  return replay && { replay, extras: view.head.extra as BuildExtras };
}
