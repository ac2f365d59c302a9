import { posix } from 'node:path';
import { type Digest, digestKey, digestOf } from '../hash/digest.js';
import { hashParts } from '../hash/part-digests.js';
import { diagnosticError } from '../diagnostic/diagnostic.js';
import type { LoadPriority } from '../format/asset-type.js';
import type { CookMode, DepInfo, Diagnostic, Location, RuleContext, SourceRef } from '../rule/context.js';
import type { AssetMeta } from '../format/asset-meta.js';
import type { OutputMeta, OutputRecord } from '../rule/output.js';
import type { DiscoveredDigests } from './key-inputs.js';
import type { ActionIO, StableRead } from './runner/action-io.js';
import type { ActionUnit } from './runner/action-unit.js';

/**
 * The one `RuleContext`: a unit's values plus reads and writes through an `ActionIO` (the
 * workspace file system and the blob store are injected there). Builds, pool workers, remote
 * executors and rule tests all cook through it. Every read is recorded, so after the cook
 * `discovered`, `outputs`, `diagnostics` and `stats` are what the action cache stores.
 */
export class ActionContext implements RuleContext<Record<string, unknown>, Record<string, unknown>> {
  readonly label: string;
  readonly pkg: string;
  readonly pkgDir: string;
  readonly name: string;
  readonly assetId: string;
  readonly priority: LoadPriority;
  readonly attrs: Record<string, unknown>;
  readonly platform: { name: string; settings: Record<string, unknown>; profileDigest?: string };
  readonly srcs: SourceRef[];
  readonly deps: DepInfo[];
  readonly closure: DepInfo[];

  readonly discovered: DiscoveredDigests = {};
  /** Discovered reads the stat cache may learn from. */
  readonly stableReads: StableRead[] = [];
  readonly outputs: OutputRecord[] = [];
  /** Bytes of this cook's outputs, in the order of `outputs`. */
  readonly outputBytes: Uint8Array[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly stats: Record<string, number | string | boolean> = {};

  constructor(
    unit: ActionUnit,
    private readonly io: ActionIO,
    readonly signal: AbortSignal,
    readonly mode: CookMode = 'cook',
  ) {
    this.label = unit.label;
    this.pkg = unit.pkg;
    this.pkgDir = unit.pkgDir;
    this.name = unit.name;
    this.assetId = unit.assetId;
    this.priority = unit.priority;
    this.attrs = unit.attrs;
    this.platform = unit.platform;
    this.srcs = unit.srcs;
    this.deps = unit.deps;
    this.closure = unit.closure;
  }

  async readSource(src: SourceRef | string): Promise<Uint8Array> {
    const path = typeof src === 'string' ? src : src.path;
    const ref = this.srcs.find((s) => s.path === path);
    if (!ref) throw new Error(`${path} is not a declared source of ${this.label}; read it with readFile()`);
    return this.io.readSource(ref.path, ref.digest);
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const normal = posix.normalize(path.replaceAll('\\', '/'));
    if (normal.startsWith('../') || normal === '..' || posix.isAbsolute(normal)) {
      throw diagnosticError('outside-workspace', `refusing to read "${path}": it is outside the workspace`, { location: { file: path } });
    }
    const read = await this.io.readFile(normal);
    const digest = read.bytes ? digestOf(read.bytes) : undefined;
    this.discovered[normal] = digest ? digestKey(digest) : 'absent';
    if (read.stable && digest) this.stableReads.push({ ...read.stable, digest });
    return read.bytes;
  }

  async readOutput(output: OutputRecord): Promise<Uint8Array> {
    const bytes = await this.io.readBlob(output.digest);
    if (!bytes) throw new Error(`output ${output.name} (${digestKey(output.digest)}) is missing from the store (deleted, or found corrupt and removed); build again to re-cook it`);
    return bytes;
  }

  async output(name: string, bytes: Uint8Array, meta: OutputMeta = {} as OutputMeta): Promise<OutputRecord> {
    const clean = posix.normalize(name);
    if (clean.startsWith('../') || posix.isAbsolute(clean)) throw new Error(`output name "${name}" must be a relative path`);
    if (this.outputs.some((o) => o.name === clean)) throw new Error(`output "${clean}" written twice`);
    const { parts: layout = [], ...rest } = meta;
    // Each part is hashed here, once: bundles, the catalog and hot reload use these digests.
    const parts = hashParts(bytes, layout, clean);
    const digest: Digest = await this.io.writeOutput(bytes);
    const record: OutputRecord = { name: clean, digest, meta: rest as AssetMeta, parts };
    this.outputs.push(record);
    this.outputBytes.push(bytes);
    return record;
  }

  warn(message: string, where?: Partial<Location>): void {
    const location = where?.file === undefined ? undefined : { file: where.file, ...(where.line !== undefined ? { line: where.line } : {}), ...(where.line !== undefined && where.column !== undefined ? { column: where.column } : {}) };
    this.diagnostics.push({ code: 'rule-warning', severity: 'warning', message, label: this.label, ...(location ? { location } : {}) });
  }

  stat(name: string, value: number | string | boolean): void {
    this.stats[name] = value;
  }

  tempDir(): Promise<string> {
    return this.io.tempDir();
  }
}
