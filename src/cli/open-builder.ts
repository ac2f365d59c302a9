import { builtinRules } from '../../rules/index.js';
import { Builder } from '../engine/builder.js';
import { RemoteExecutor } from '../engine/remote/remote-executor.js';
import { createRegistry, type RuleRegistry } from '../rule/registry.js';
import { createCacheStack, type ConfiguredCacheStack } from '../store/create-cache-stack.js';
import { resolveRemoteCacheOptions } from '../store/remote-cache-config.js';
import { sweepDeadScratchDirs } from '../engine/runner/sweep-scratch-dirs.js';
import { claimKilnFolders } from '../workspace/kiln-folder-marker.js';
import { Workspace } from '../workspace/workspace.js';
import type { CommandIO, ParsedArgs } from './command.js';
import { runnerSettings } from './runner-flags.js';
import { UsageError } from './usage-error.js';

let registry: RuleRegistry | undefined;

export function rules(): RuleRegistry {
  registry ??= createRegistry(builtinRules());
  return registry;
}

export function openWorkspace(io: CommandIO): Workspace {
  return Workspace.open(io.cwd, rules());
}

/** The cache stack for a command: local disk, plus the team's remote cache when configured (flag > env > assets.yaml). */
export function openCache(args: ParsedArgs, io: CommandIO, workspace: Workspace): ConfiguredCacheStack {
  let remote;
  try {
    remote = resolveRemoteCacheOptions({
      flagUrl: args.values['remote-cache'] as string | undefined,
      flagMode: args.values['remote-cache-mode'] as string | undefined,
      env: io.env,
      yaml: workspace.config.remoteCache,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // Marked before anything is written, so `kiln clean` knows which folders are kiln's.
  claimKilnFolders(workspace.config.cacheDir, workspace.config.outDir);
  return createCacheStack({ localRoot: workspace.config.cacheDir, remote, env: io.env });
}

export function openBuilder(args: ParsedArgs, io: CommandIO, toolchain?: string): { builder: Builder; cache: ConfiguredCacheStack } {
  const workspace = openWorkspace(io);
  const settings = runnerSettings(
    { jobs: args.values.jobs as string | undefined, workers: args.values.workers as string | undefined, 'action-timeout': args.values['action-timeout'] as string | undefined },
    workspace.config.runner,
  );
  if ('error' in settings) throw new UsageError(settings.error);
  const { jobs, workers, actionTimeoutMs } = settings.value;
  const cache = openCache(args, io, workspace);
  // Scratch folders of cooks killed in an earlier build (SIGKILL skips their cleanup).
  sweepDeadScratchDirs();
  const remote = openRemoteExecutor(args, io);
  const builder = new Builder({ workspace, cache, platform: args.values.platform as string | undefined, jobs, workers, actionTimeoutMs, ...(remote ? { remote } : {}), ...(toolchain ? { toolchain } : {}) });
  return { builder, cache };
}

/** `--remote-executor URL` (or `KILN_REMOTE_EXECUTOR`): cook on a REAPI cluster; secrets from the environment. */
function openRemoteExecutor(args: ParsedArgs, io: CommandIO): RemoteExecutor | undefined {
  const url = (args.values['remote-executor'] as string | undefined) ?? (io.env.KILN_REMOTE_EXECUTOR || undefined);
  if (url === undefined || url.trim() === '') return undefined;
  try {
    return new RemoteExecutor({ url: url.trim(), env: io.env, onWarning: (message) => io.stderr(`warning: ${message}\n`) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export { UsageError };
