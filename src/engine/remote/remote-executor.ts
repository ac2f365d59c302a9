import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../../hash/canonical-json.js';
import { type Digest, digestKey, digestOf } from '../../hash/digest.js';
import type { BlobStore } from '../../store/blob-store.js';
import { createRemoteMetrics } from '../../store/remote-metrics.js';
import { RemoteHealth } from '../../store/remote-health.js';
import { parseRemoteUrl } from '../../store/remote-url.js';
import { createReapiBackends, type ReapiEnv } from '../../store/reapi/create-reapi-backends.js';
import { buildInputRoot, type TreeFile } from '../../store/reapi/merkle-tree.js';
import { encodeAction, encodeCommand } from '../../store/reapi/reapi-action.js';
import type { ReapiBlobStore } from '../../store/reapi/reapi-blob-store.js';
import { ReapiExecution } from '../../store/reapi/reapi-execution.js';
import type { ActionUnit } from '../runner/action-unit.js';
import type { RemoteCook } from '../runner/action-runner.js';
import type { ActionRun } from '../runner/run-action.js';
import type { WorkspaceFiles } from '../runner/workspace-files.js';
import { workerLoadableUrl } from '../runner/worker-module.js';
import { BLOBS_DIR, SOURCES_DIR, UNIT_FILE } from './remote-entry-layout.js';
import { decodeRunFile, RUN_FILE } from './run-file.js';

export interface RemoteExecutorOptions {
  /** `grpc(s)://host:port[/instance]` of a REAPI server with execution (CAS on the same endpoint). */
  url: string;
  env: ReapiEnv;
  /** Printed once when the executor cannot be used; the build then cooks locally. */
  onWarning: (message: string) => void;
  /** Per-action deadline. Default 600 s. */
  actionTimeoutMs?: number;
  /** Node on the workers. Default: this process's own path (workers are provisioned alike). */
  nodePath?: string;
}

/** Platform properties a worker must offer: Linux with Node and kiln installed. */
export const KILN_PLATFORM = { OSFamily: 'linux', 'kiln-runtime': 'node' };
/** Execute attempts per action before it is cooked locally (a lost worker fails one attempt). */
const ATTEMPTS = 3;
/** Rounds of "the rule read a file that was not staged: stage it and run again". */
const DISCOVERY_ROUNDS = 5;

/** The compiled worker entry (tests run sources; workers need JavaScript). */
function entryScript(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = workerLoadableUrl(new URL(`./remote-entry${ext}`, import.meta.url).href);
  if (!url) throw new Error('remote execution needs the compiled worker entry (dist/src/engine/remote/remote-entry.js): run npm run build');
  return fileURLToPath(url);
}

/**
 * Cooks actions on a REAPI cluster. Each unit becomes an Action whose input root holds the unit
 * (`unit.json`), its declared sources and the discovered files of its last run (`ws/…`) and the
 * dependency outputs it may read (`blobs/<sha256>`); only blobs the server lacks are uploaded.
 * The worker runs `remote-entry.js`, the same `runAction` as a local cook, and returns one file
 * with the outputs, verified here digest by digest before anything is stored.
 *
 * Discovered inputs: the action cache keeps its two-level lookup, so this runs only on a miss,
 * with the files the last manifest named staged. When the run reports a file it read that was
 * not staged (and that exists here), the action runs again with that file staged, until the
 * set is stable; so the result is exactly what a local cook with the same files would give.
 */
export class RemoteExecutor implements RemoteCook {
  readonly #options: RemoteExecutorOptions;
  readonly #health: RemoteHealth;
  readonly #cas: ReapiBlobStore;
  readonly #execution: ReapiExecution;
  readonly #close: () => void;
  readonly #entry: string;
  #warned = false;

  constructor(options: RemoteExecutorOptions) {
    this.#options = options;
    this.#entry = entryScript();
    const url = parseRemoteUrl(options.url);
    if (!url.grpc) throw new Error(`--remote-executor must be a grpc:// or grpcs:// URL, got ${url.display}`);
    const metrics = createRemoteMetrics();
    this.#health = new RemoteHealth({ display: url.display, subject: 'remote executor', onWarning: (message) => this.#warn(message) });
    const backends = createReapiBackends({ grpc: url.grpc, timeoutMs: 30_000, env: options.env, health: this.#health, metrics });
    this.#cas = backends.blobs;
    this.#execution = new ReapiExecution(backends.connection, url.grpc.instanceName);
    this.#close = () => backends.connection.close();
  }

  close(): void {
    this.#close();
  }

  /** The run, or `undefined` when the cluster could not cook it (the caller cooks locally). */
  async run(unit: ActionUnit, files: WorkspaceFiles, blobs: BlobStore): Promise<ActionRun | undefined> {
    if (!this.#health.available) return undefined;
    const staged = new Set(Object.entries(unit.discovered).filter(([, digest]) => digest !== 'absent').map(([path]) => path));
    for (let round = 0; round < DISCOVERY_ROUNDS; round += 1) {
      const attempt = await this.#runOnce(unit, staged, files, blobs);
      if (!attempt) return undefined;
      const { run, stagedKeys } = attempt;
      // The worker reports what it read; it must have read exactly what was staged (or nothing).
      const misreported = Object.entries(run.discovered).find(([path, key]) => (stagedKeys.get(path) ?? 'absent') !== key);
      if (misreported) {
        this.#warn(`remote executor: //${unit.pkg}:${unit.name} reported ${misreported[0]} as ${misreported[1]}, which is not what was staged; cooked locally`);
        return undefined;
      }
      const unstaged = Object.keys(run.discovered).filter((path) => !stagedKeys.has(path) && files.resolve(path) !== undefined);
      if (unstaged.length === 0) return run;
      for (const path of unstaged) staged.add(path);
    }
    this.#warn(`remote executor: //${unit.pkg}:${unit.name} kept discovering new inputs; cooked locally`);
    return undefined;
  }

  /** One input root and Execute; also says which workspace files were staged, with their digest keys. */
  async #runOnce(unit: ActionUnit, staged: ReadonlySet<string>, files: WorkspaceFiles, blobs: BlobStore): Promise<{ run: ActionRun; stagedKeys: Map<string, string> } | undefined> {
    const contents = new Map<string, Uint8Array>();
    const tree: TreeFile[] = [];
    const stagedKeys = new Map<string, string>();
    const add = (path: string, bytes: Uint8Array, digest: Digest = digestOf(bytes)) => {
      contents.set(digestKey(digest), bytes);
      tree.push({ path, digest });
      return digest;
    };
    const addSource = (path: string, bytes: Uint8Array, digest?: Digest) => stagedKeys.set(path, digestKey(add(`${SOURCES_DIR}/${path}`, bytes, digest)));
    add(UNIT_FILE, Buffer.from(canonicalJson(unit), 'utf8'));
    for (const src of unit.srcs) addSource(src.path, await files.readSource(src.path, src.digest), src.digest);
    for (const path of [...staged].sort()) {
      if (isDeclared(unit, path)) continue;
      const read = await files.readFile(path);
      if (read.bytes) addSource(path, read.bytes);
    }
    const depDigests = new Map<string, Digest>();
    for (const dep of [...unit.deps, ...unit.closure]) for (const output of dep.outputs) depDigests.set(output.digest.hash, output.digest);
    for (const digest of depDigests.values()) {
      const bytes = await blobs.get(digest);
      if (!bytes) return undefined;
      add(`${BLOBS_DIR}/${digest.hash}`, bytes, digest);
    }
    const root = buildInputRoot(tree);
    for (const directory of root.directories) contents.set(digestKey(directory.digest), directory.bytes);
    const command = encodeCommand({
      arguments: [this.#options.nodePath ?? process.execPath, this.#entry],
      environment: { PATH: '/usr/local/bin:/usr/bin:/bin', NODE_ENV: 'production' },
      outputPaths: [RUN_FILE],
      platform: KILN_PLATFORM,
    });
    contents.set(digestKey(command.digest), command.bytes);

    for (let attempt = 0; attempt < ATTEMPTS && this.#health.available; attempt += 1) {
      // A retry changes the Action digest so a server cannot answer it from a broken attempt.
      const salt = attempt === 0 ? undefined : Buffer.from(`retry-${attempt}`);
      const action = encodeAction({ command: command.digest, inputRoot: root.root, timeoutSeconds: Math.ceil((this.#options.actionTimeoutMs ?? 600_000) / 1000), platform: KILN_PLATFORM, ...(salt ? { salt } : {}) });
      contents.set(digestKey(action.digest), action.bytes);
      if (!(await this.#upload(contents))) return undefined;
      const outcome = await this.#execution.execute(action.digest, attempt > 0, (this.#options.actionTimeoutMs ?? 600_000) + 60_000);
      if (outcome.kind !== 'done' || outcome.exitCode !== 0) continue;
      const runFile = outcome.outputFiles.find((file) => file.path === RUN_FILE);
      const bytes = runFile ? await this.#cas.get(runFile.digest) : undefined;
      const run = bytes ? decodeRunFile(bytes) : undefined;
      if (run) return { run, stagedKeys };
    }
    this.#warn(`remote executor: //${unit.pkg}:${unit.name} did not cook remotely after ${ATTEMPTS} attempts; cooked locally`);
    return undefined;
  }

  /** FindMissingBlobs over everything the action needs, then uploads only what is missing. */
  async #upload(contents: Map<string, Uint8Array>): Promise<boolean> {
    const digests = [...contents.keys()].map((key) => {
      const bytes = contents.get(key)!;
      return { hash: key.slice(0, key.indexOf('-')), size: bytes.byteLength };
    });
    const missing = await this.#cas.findMissing(digests);
    if (!missing) return false;
    for (const digest of missing) {
      if (!(await this.#cas.upload(contents.get(digestKey(digest))!, digest))) return false;
    }
    return true;
  }

  #warn(message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#options.onWarning(message);
  }
}

function isDeclared(unit: ActionUnit, path: string): boolean {
  return unit.srcs.some((src) => src.path === path);
}
