import { join } from 'node:path';
import { builtinRules } from '../../rules/index.js';
import { Builder } from '../engine/builder.js';
import { createRegistry, type RuleRegistry } from '../rule/registry.js';
import type { CacheStack } from '../store/cache-stack.js';
import { DiskActionCache } from '../store/disk-action-cache.js';
import { DiskBlobStore } from '../store/disk-blob-store.js';
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

/** The local disk cache under the workspace's cache folder. */
export function localCache(cacheDir: string): CacheStack {
  return { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) };
}

export function openBuilder(args: ParsedArgs, io: CommandIO): Builder {
  const workspace = openWorkspace(io);
  const jobs = args.values.jobs === undefined ? undefined : Number(args.values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError(`--jobs must be a positive integer, got ${String(args.values.jobs)}`);
  return new Builder({
    workspace,
    cache: localCache(workspace.config.cacheDir),
    platform: args.values.platform as string | undefined,
    jobs,
  });
}

/** A mistake on the command line: printed without a stack, exit code 2. */
export class UsageError extends Error {}
