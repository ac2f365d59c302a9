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
 *
 * Builds running at the same time on one cache each load the files at their start and save them
 * at their end, without a lock. A save therefore merges: it re-reads the file and writes back
 * what is on disk overlaid with only the entries this build changed, so one build's save does
 * not drop another's newer targets (which `kiln gc` reads to know what the newest builds need).
 * Two builds racing on the same entry: the last one wins, and either value is valid.
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
  ) {
    this.loaded = snapshot(this);
  }

  /** The entries as loaded or last saved; identity tells which ones this process changed since. */
  private loaded: Snapshot;

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
    const path = join(this.dir, `${this.platform}.json`);
    const disk = readJson<StateFile>(path);
    const valid = disk?.version === VERSION;
    mergeInto(this.targets, this.loaded.targets, valid ? disk.targets : undefined);
    mergeInto(this.materialized, this.loaded.materialized, valid ? disk.materialized : undefined);
    const file: StateFile = {
      version: VERSION,
      targets: Object.fromEntries(this.targets),
      materialized: Object.fromEntries(this.materialized),
    };
    await atomicWrite(path, JSON.stringify(file));
    this.loaded = { ...snapshot(this), owners: this.loaded.owners };
    if (statEntries) {
      // Stat entries are self-validating (size, mtime, inode): a union loses nothing.
      const onDisk = readJson<{ version: 1; entries: Record<string, StatEntry> }>(join(this.dir, 'stat-cache.json'));
      const entries = onDisk?.version === VERSION ? { ...onDisk.entries, ...statEntries } : statEntries;
      await atomicWrite(join(this.dir, 'stat-cache.json'), JSON.stringify({ version: VERSION, entries }));
    }
  }

  async saveOutputOwners(): Promise<void> {
    const path = join(this.dir, 'out-manifest.json');
    const disk = readJson<{ version: 1; owners: Record<string, string[]> }>(path);
    mergeInto(this.outputOwners, this.loaded.owners, disk?.version === VERSION ? disk.owners : undefined);
    await atomicWrite(path, JSON.stringify({ version: VERSION, owners: Object.fromEntries(this.outputOwners) }));
    this.loaded = { ...this.loaded, owners: new Map(this.outputOwners) };
  }
}

interface Snapshot {
  targets: Map<string, TargetState>;
  materialized: Map<string, MaterializedFile>;
  owners: Map<string, string[]>;
}

function snapshot(state: BuildState): Snapshot {
  return { targets: new Map(state.targets), materialized: new Map(state.materialized), owners: new Map(state.outputOwners) };
}

/**
 * Make `mine` what should be saved: the entries on disk (other builds may have saved newer ones
 * since we loaded), overlaid with the entries this build set (not identical to `loaded`), minus
 * the ones it deleted.
 */
function mergeInto<T>(mine: Map<string, T>, loaded: ReadonlyMap<string, T>, disk: Record<string, T> | undefined): void {
  if (!disk) return;
  const changed = new Map([...mine].filter(([key, value]) => loaded.get(key) !== value));
  const deleted = [...loaded.keys()].filter((key) => !mine.has(key));
  for (const [key, value] of Object.entries(disk)) mine.set(key, value);
  for (const [key, value] of changed) mine.set(key, value);
  for (const key of deleted) mine.delete(key);
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
