/**
 * What a REAPI worker runs for a kiln action (`node …/remote-entry.js` in the input root): read
 * `unit.json`, import the unit's rule, run the same `runAction` as a local cook with every read
 * served from the staged input root, and write the run to `kiln-run.bin`. Declared sources are
 * under `ws/`, discovered files the client staged under `ws/` too, dependency blobs under
 * `blobs/<sha256>`. A file the rule asks for that was not staged reads as absent and is
 * reported in the run's `discovered` map: the client then re-executes with it staged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Digest, digestOf, sameDigest } from '../../hash/digest.js';
import type { AnyRule } from '../../rule/rule.js';
import type { ActionIO, FileRead } from '../runner/action-io.js';
import { actionFailure } from '../runner/action-failure.js';
import type { ActionUnit } from '../runner/action-unit.js';
import { type ActionRun, runAction } from '../runner/run-action.js';
import { ScratchDirs } from '../runner/scratch-dirs.js';
import { workerLoadableUrl } from '../runner/worker-module.js';
import { BLOBS_DIR, SOURCES_DIR, UNIT_FILE } from './remote-entry-layout.js';
import { encodeRunFile, RUN_FILE } from './run-file.js';

/**
 * The file's bytes in an ArrayBuffer of their own: readFileSync may hand out a slice of Node's
 * shared pool, and rules (like the local runner's callers) may view `bytes.buffer` whole.
 */
function readIfPresent(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

/** Paths come from the unit and the rule: only clean relative ones are looked up. */
function clean(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.includes('\0') && path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

class StagedActionIO implements ActionIO {
  private readonly scratch = new ScratchDirs();

  constructor(private readonly root: string) {}

  async readSource(path: string, digest: Digest): Promise<Uint8Array> {
    const bytes = clean(path) ? readIfPresent(join(this.root, SOURCES_DIR, path)) : undefined;
    if (!bytes || !sameDigest(digestOf(bytes), digest)) throw new Error(`source ${path} was not staged with the digest the action needs`);
    return bytes;
  }

  async readFile(path: string): Promise<FileRead> {
    if (!clean(path)) return { bytes: undefined };
    return { bytes: readIfPresent(join(this.root, SOURCES_DIR, path)) };
  }

  async readBlob(digest: Digest): Promise<Uint8Array | undefined> {
    const bytes = readIfPresent(join(this.root, BLOBS_DIR, digest.hash));
    return bytes && sameDigest(digestOf(bytes), digest) ? bytes : undefined;
  }

  async writeOutput(bytes: Uint8Array): Promise<Digest> {
    return digestOf(bytes);
  }

  tempDir(): Promise<string> {
    return this.scratch.create();
  }

  dispose(): Promise<void> {
    return this.scratch.removeAll();
  }
}

async function loadRule(unit: ActionUnit): Promise<AnyRule> {
  const module = unit.rule.module;
  if (!module) throw new Error(`rule "${unit.rule.name}" declares no module a worker could import`);
  const url = workerLoadableUrl(module.url);
  if (!url) throw new Error(`${module.url} is not installed on this worker`);
  const imported = (await import(url)) as Record<string, unknown>;
  const factory = imported[module.factory];
  if (typeof factory !== 'function') throw new Error(`${module.url} exports no rule factory "${module.factory}"`);
  return (factory as () => AnyRule)();
}

async function main(root: string): Promise<void> {
  const unit = JSON.parse(readFileSync(join(root, UNIT_FILE), 'utf8')) as ActionUnit;
  let run: ActionRun;
  try {
    run = await runAction(unit, await loadRule(unit), new StagedActionIO(root), 'cook', new AbortController().signal);
  } catch (error) {
    run = { outputs: [], outputBytes: [], discovered: {}, stableReads: [], diagnostics: [], stats: {}, durationMs: 0, failure: actionFailure(error, unit) };
  }
  writeFileSync(join(root, RUN_FILE), encodeRunFile(run));
}

await main(process.cwd());
