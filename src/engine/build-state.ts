import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatEntry } from '../hash/stat-cache.js';
import type { Diagnostic } from '../rule/context.js';
import type { OutputRecord } from '../rule/output.js';
import { atomicWrite } from '../store/atomic-write.js';
import type { DiscoveredDigests, KeyInputs } from './key-inputs.js';

/** What the last successful build of one target on this machine looked like. */
export interface TargetState {
  primary: string;
  result: string;
  inputs: KeyInputs;
  discovered: DiscoveredDigests;
  outputs: OutputRecord[];
  diagnostics: Diagnostic[];
  stats: Record<string, number | string | boolean>;
  durationMs: number;
}

/** A file written under kiln-out: what we put there, so an untouched copy is not rewritten. */
export interface MaterializedFile {
  digest: string;
  size: number;
  mtimeMs: number;
}

interface StateFile {
  version: 1;
  targets: Record<string, TargetState>;
  materialized: Record<string, MaterializedFile>;
}

const VERSION = 1;

/**
 * The local memory of past builds, one file per platform plus a shared stat cache (ninja's
 * .ninja_log/.ninja_deps idea). It is only an accelerator: losing it costs hashing and action
 * cache reads, never correctness. Written atomically at the end of a build.
 */
export class BuildState {
  private constructor(
    private readonly dir: string,
    private readonly platform: string,
    readonly targets: Map<string, TargetState>,
    readonly materialized: Map<string, MaterializedFile>,
    readonly statEntries: Record<string, StatEntry>,
    /** label → files under kiln-out it owns, shared by all platforms so stale files can be removed. */
    readonly outputOwners: Map<string, string[]>,
  ) {}

  static load(cacheDir: string, platform: string): BuildState {
    const dir = join(cacheDir, 'state');
    const state = readJson<StateFile>(join(dir, `${platform}.json`));
    const stat = readJson<{ version: 1; entries: Record<string, StatEntry> }>(join(dir, 'stat-cache.json'));
    const owners = readJson<{ version: 1; owners: Record<string, string[]> }>(join(dir, 'out-manifest.json'));
    const valid = state?.version === VERSION;
    return new BuildState(
      dir,
      platform,
      new Map(valid ? Object.entries(state.targets) : []),
      new Map(valid ? Object.entries(state.materialized ?? {}) : []),
      stat?.version === VERSION ? stat.entries : {},
      new Map(owners?.version === VERSION ? Object.entries(owners.owners) : []),
    );
  }

  async save(statEntries: Record<string, StatEntry> | undefined): Promise<void> {
    const file: StateFile = {
      version: VERSION,
      targets: Object.fromEntries(this.targets),
      materialized: Object.fromEntries(this.materialized),
    };
    await atomicWrite(join(this.dir, `${this.platform}.json`), JSON.stringify(file));
    if (statEntries) await atomicWrite(join(this.dir, 'stat-cache.json'), JSON.stringify({ version: VERSION, entries: statEntries }));
  }

  async saveOutputOwners(): Promise<void> {
    await atomicWrite(join(this.dir, 'out-manifest.json'), JSON.stringify({ version: VERSION, owners: Object.fromEntries(this.outputOwners) }));
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
