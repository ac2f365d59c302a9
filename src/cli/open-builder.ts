import { builtinRules } from '../../rules/index.js';
import { Builder } from '../engine/builder.js';
import { createRegistry, type RuleRegistry } from '../rule/registry.js';
import { createCacheStack, type ConfiguredCacheStack } from '../store/create-cache-stack.js';
import { resolveRemoteCacheOptions } from '../store/remote-cache-config.js';
import { ensureKilnFolder } from '../workspace/kiln-folder-marker.js';
import { Workspace } from '../workspace/workspace.js';
import type { CommandIO, ParsedArgs } from './command.js';

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
  // Marked before anything is written, so `kiln clean` knows the folder is kiln's.
  ensureKilnFolder(workspace.config.cacheDir, 'cache');
  return createCacheStack({ localRoot: workspace.config.cacheDir, remote, env: io.env });
}

export function openBuilder(args: ParsedArgs, io: CommandIO): { builder: Builder; cache: ConfiguredCacheStack } {
  const workspace = openWorkspace(io);
  const jobs = args.values.jobs === undefined ? undefined : Number(args.values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError(`--jobs must be a positive integer, got ${String(args.values.jobs)}`);
  const cache = openCache(args, io, workspace);
  const builder = new Builder({ workspace, cache, platform: args.values.platform as string | undefined, jobs });
  return { builder, cache };
}

/** A mistake on the command line: printed without a stack, exit code 2. */
export class UsageError extends Error {}
