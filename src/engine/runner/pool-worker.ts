/**
 * Entry point of a pool worker thread: imports the unit's rule by module URL and runs the same
 * `runAction` as the in-process runner, with reads from the workspace (contained) and blob reads
 * asked of the main thread. Output bytes are transferred back, not copied.
 */
import { Piscina } from 'piscina';
import type { MessagePort } from 'node:worker_threads';
import { type Digest, digestOf } from '../../hash/digest.js';
import type { AnyRule, RuleModule } from '../../rule/rule.js';
import type { ActionIO, FileRead } from './action-io.js';
import { actionFailure } from './action-failure.js';
import type { BlobReply, BlobRequest, PoolTask, PoolWorkerData, TaskStarted } from './pool-task.js';
import { type ActionRun, runAction } from './run-action.js';
import { ScratchDirs } from './scratch-dirs.js';
import { WorkspaceFiles } from './workspace-files.js';

const rules = new Map<string, Promise<AnyRule>>();
const filesByRoot = new Map<string, WorkspaceFiles>();

function ruleOf(key: string, url: string, module: RuleModule): Promise<AnyRule> {
  let rule = rules.get(key);
  if (!rule) {
    rule = loadRule(url, module);
    rules.set(key, rule);
  }
  return rule;
}

async function loadRule(url: string, module: RuleModule): Promise<AnyRule> {
  const imported = (await import(url)) as Record<string, unknown>;
  const factory = imported[module.factory];
  if (typeof factory !== 'function') throw new Error(`${module.url} exports no rule factory "${module.factory}"`);
  return (factory as () => AnyRule)();
}

class WorkerActionIO implements ActionIO {
  private readonly scratch = new ScratchDirs();
  private readonly pending = new Map<number, { resolve: (bytes: Uint8Array | undefined) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly port: MessagePort,
  ) {
    port.on('message', (reply: BlobReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply.bytes ?? undefined);
    });
  }

  readSource(path: string, digest: Digest): Promise<Uint8Array> {
    return this.files.readSource(path, digest);
  }

  readFile(path: string): Promise<FileRead> {
    return this.files.readFile(path);
  }

  readBlob(digest: Digest): Promise<Uint8Array | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: BlobRequest = { id, digest };
      this.port.postMessage(request);
    });
  }

  async writeOutput(bytes: Uint8Array): Promise<Digest> {
    // The main thread puts the bytes in the store (and checks this digest).
    return digestOf(bytes);
  }

  tempDir(): Promise<string> {
    return this.scratch.create();
  }

  dispose(): Promise<void> {
    return this.scratch.removeAll();
  }
}

/** A view that owns its whole ArrayBuffer can be transferred; pooled Buffers and shared memory are copied first. */
function transferable(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return new Uint8Array(bytes);
}

// piscina imports this file before the thread reports ready: the build's rules are imported now,
// while the main thread still analyses, rather than in the first cook of each.
// A module that fails to load here is forgotten: the task that needs it loads it again and fails
// with the error.
const preload = (Piscina.workerData as PoolWorkerData | undefined)?.preload ?? [];
await Promise.all(
  preload.map((key) => {
    const at = key.lastIndexOf('#');
    return ruleOf(key, key.slice(0, at), { url: key.slice(0, at), factory: key.slice(at + 1) }).catch(() => rules.delete(key));
  }),
);

export default async function cookInWorker(task: PoolTask): Promise<unknown> {
  const { unit } = task;
  const module = unit.rule.module!;
  task.blobs.postMessage({ started: true } satisfies TaskStarted);
  let run: ActionRun;
  try {
    const rule = ruleOf(`${task.moduleUrl}#${module.factory}`, task.moduleUrl, module);
    let files = filesByRoot.get(task.root);
    if (!files) {
      files = new WorkspaceFiles(task.root, task.allowedRoots);
      filesByRoot.set(task.root, files);
    }
    run = await runAction(unit, await rule, new WorkerActionIO(files, task.blobs), task.mode, new AbortController().signal);
  } catch (error) {
    // The rule's module did not load: the failure is still the action's, not the pool's.
    run = { outputs: [], outputBytes: [], discovered: {}, stableReads: [], diagnostics: [], stats: {}, durationMs: 0, failure: actionFailure(error, unit) };
  } finally {
    task.blobs.close();
  }
  run.outputBytes = run.outputBytes.map(transferable);
  const buffers = [...new Set(run.outputBytes.map((bytes) => bytes.buffer as ArrayBuffer))];
  return Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: run } as unknown as ArrayBuffer);
}
