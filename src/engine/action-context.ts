import { type BigIntStats, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { type Digest, digestKey, digestOf, sameDigest } from '../hash/digest.js';
import type { LoadPriority } from '../rule/asset-type.js';
import type { DepInfo, Diagnostic, Location, RuleContext, SourceRef } from '../rule/context.js';
import type { OutputMeta, OutputRecord } from '../rule/output.js';
import { RuleError } from '../rule/rule-error.js';
import type { BlobStore } from '../store/blob-store.js';
import type { DiscoveredDigests } from './key-inputs.js';

export interface ActionContextInit {
  root: string;
  label: string;
  pkg: string;
  pkgDir: string;
  name: string;
  assetId: string;
  priority: LoadPriority;
  attrs: Record<string, unknown>;
  platform: { name: string; settings: Record<string, unknown> };
  srcs: SourceRef[];
  deps: DepInfo[];
  closure: DepInfo[];
  blobs: BlobStore;
  signal: AbortSignal;
  /** Told about discovered files read whole while their stat stayed the same (stat cache feed). */
  onStableRead?: (absPath: string, stat: BigIntStats, digest: Digest) => void;
}

/**
 * The engine's `RuleContext`: reads go to the workspace and are recorded, outputs go to the CAS.
 * After the cook, `discovered`, `outputs`, `diagnostics` and `stats` are what the action cache
 * stores.
 */
export class ActionContext implements RuleContext<Record<string, unknown>, Record<string, unknown>> {
  readonly label: string;
  readonly pkg: string;
  readonly pkgDir: string;
  readonly name: string;
  readonly assetId: string;
  readonly priority: LoadPriority;
  readonly attrs: Record<string, unknown>;
  readonly platform: { name: string; settings: Record<string, unknown> };
  readonly srcs: SourceRef[];
  readonly deps: DepInfo[];
  readonly closure: DepInfo[];
  readonly signal: AbortSignal;

  readonly discovered: DiscoveredDigests = {};
  readonly outputs: OutputRecord[] = [];
  /** Bytes of this cook's outputs by digest key, so materializing does not read them back. */
  readonly outputBytes = new Map<string, Uint8Array>();
  readonly diagnostics: Diagnostic[] = [];
  readonly stats: Record<string, number | string | boolean> = {};
  private readonly temps: string[] = [];
  private readonly root: string;
  private readonly blobs: BlobStore;
  private readonly onStableRead: ActionContextInit['onStableRead'];

  constructor(init: ActionContextInit) {
    this.root = init.root;
    this.label = init.label;
    this.pkg = init.pkg;
    this.pkgDir = init.pkgDir;
    this.name = init.name;
    this.assetId = init.assetId;
    this.priority = init.priority;
    this.attrs = init.attrs;
    this.platform = init.platform;
    this.srcs = init.srcs;
    this.deps = init.deps;
    this.closure = init.closure;
    this.blobs = init.blobs;
    this.signal = init.signal;
    this.onStableRead = init.onStableRead;
  }

  async readSource(src: SourceRef | string): Promise<Uint8Array> {
    const ref = typeof src === 'string' ? this.srcs.find((s) => s.path === src) : src;
    if (!ref) throw new Error(`${String(src)} is not a declared source of ${this.label}; read it with readFile()`);
    const path = join(this.root, ref.path);
    // Small sources are read synchronously (cheaper than a thread-pool round trip).
    const bytes = ref.digest.size <= 256 * 1024 ? readFileSync(path) : await readFile(path);
    // The key was computed from the digest seen before the cook; bytes that changed since would
    // put a wrong result under that key.
    if (!sameDigest(digestOf(bytes), ref.digest)) {
      throw new RuleError('source changed while the build was running; build again', { file: ref.path });
    }
    return bytes;
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const normal = posix.normalize(path.replaceAll('\\', '/'));
    if (normal.startsWith('../') || normal === '..' || posix.isAbsolute(normal)) {
      throw new RuleError(`refusing to read "${path}": it is outside the workspace`);
    }
    const abs = join(this.root, normal);
    const before = statSync(abs, { bigint: true, throwIfNoEntry: false });
    const bytes = await readFile(abs).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR') return undefined;
      throw error;
    });
    const digest = bytes ? digestOf(bytes) : undefined;
    this.discovered[normal] = digest ? digestKey(digest) : 'absent';
    // Hand the digest to the stat cache when the file provably did not change while we read it,
    // so the next build's lookup does not read it again.
    if (digest && before && this.onStableRead) {
      const after = statSync(abs, { bigint: true, throwIfNoEntry: false });
      if (after && after.mtimeNs === before.mtimeNs && after.size === before.size && after.ino === before.ino) this.onStableRead(abs, after, digest);
    }
    return bytes;
  }

  async readOutput(output: OutputRecord): Promise<Uint8Array> {
    const bytes = await this.blobs.get(output.digest);
    if (!bytes) throw new Error(`output ${output.name} (${digestKey(output.digest)}) is missing from the store (deleted, or found corrupt and removed); build again to re-cook it`);
    return bytes;
  }

  async output(name: string, bytes: Uint8Array, meta: OutputMeta = {}): Promise<OutputRecord> {
    const clean = posix.normalize(name);
    if (clean.startsWith('../') || posix.isAbsolute(clean)) throw new Error(`output name "${name}" must be a relative path`);
    if (this.outputs.some((o) => o.name === clean)) throw new Error(`output "${clean}" written twice`);
    const digest: Digest = await this.blobs.put(bytes);
    const record: OutputRecord = { name: clean, digest, meta };
    this.outputs.push(record);
    this.outputBytes.set(digestKey(digest), bytes);
    return record;
  }

  warn(message: string, where?: Location): void {
    this.diagnostics.push({ severity: 'warning', message, ...where });
  }

  stat(name: string, value: number | string | boolean): void {
    this.stats[name] = value;
  }

  async tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-'));
    this.temps.push(dir);
    return dir;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.temps.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
