import { digestKey, type Digest } from '../hash/digest.js';
import type { OutputRecord } from '../rule/output.js';
import type { AnyRule } from '../rule/rule.js';
import type { BlobStore } from '../store/blob-store.js';
import { OverlayBlobStore } from '../store/overlay-blob-store.js';
import { assertSameOutputs } from './assert-same-outputs.js';
import type { DiscoveredDigests } from './key-inputs.js';
import { ActionFailedError } from './runner/action-failure.js';
import type { ActionRunner, RunnerResult } from './runner/action-runner.js';
import type { StableRead } from './runner/action-io.js';
import type { ActionUnit } from './runner/action-unit.js';
import type { Diagnostic } from '../diagnostic/diagnostic.js';

/** The facts of a cook that make up its ActionUnit (and so its key), as the engine resolved them. */
type UnitFacts = Pick<ActionUnit, 'label' | 'pkg' | 'pkgDir' | 'name' | 'assetId' | 'priority' | 'attrs' | 'platform' | 'srcs' | 'deps' | 'closure'>;

/**
 * What the engine knows about one cook; `cookInto` turns it into an ActionUnit for `runner`.
 * `tools` (from `rule.tools()`) and `discovered` (the last run's manifest with current digests)
 * default to none.
 */
export interface ActionContextInit extends UnitFacts, Partial<Pick<ActionUnit, 'tools' | 'discovered'>> {
  root: string;
  /** The build's store (`cookInto`'s own `blobs` argument is where outputs go). */
  blobs: BlobStore;
  signal: AbortSignal;
  /** Where the cook runs: the build's ActionRunner (worker pool or in-process, per rule). */
  runner: ActionRunner;
  /** Told about discovered files read whole while their stat stayed the same (stat cache feed). */
  onStableRead?: (absPath: string, stat: Pick<StableRead, 'mtimeNs' | 'ino' | 'size'>, digest: Digest) => void;
}

/** What a cook produced: what the action cache stores, plus the bytes for kiln-out. */
export interface CookResult {
  outputs: OutputRecord[];
  /** Output bytes by digest key, so materializing does not read them back from the store. */
  outputBytes: Map<string, Uint8Array>;
  /** Discovered inputs, sorted by path: digest key or `absent`. */
  discovered: DiscoveredDigests;
  /** The rule's warnings. */
  diagnostics: Diagnostic[];
  stats: Record<string, number | string | boolean>;
  durationMs: number;
  ranIn: RunnerResult['where'];
}

/** The self-contained unit of a cook described by `init` (its digest is the action key). */
export function unitOf(rule: AnyRule, init: ActionContextInit): ActionUnit {
  return {
    rule: { name: rule.name, version: rule.version, ...(rule.module ? { module: rule.module } : {}) },
    label: init.label,
    pkg: init.pkg,
    pkgDir: init.pkgDir,
    name: init.name,
    assetId: init.assetId,
    priority: init.priority,
    attrs: init.attrs,
    platform: init.platform,
    srcs: init.srcs,
    deps: init.deps,
    closure: init.closure,
    discovered: init.discovered ?? {},
    tools: init.tools ?? {},
  };
}

/**
 * Run a rule's cook (or only its validators) on `init.runner` — a pool worker or in-process, as
 * the runner decides for the rule — with its outputs going to `blobs`. A failed action throws an
 * ActionFailedError carrying its diagnostics.
 */
export async function cookInto(blobs: BlobStore, rule: AnyRule, init: ActionContextInit, validating: boolean): Promise<CookResult> {
  const run = await init.runner.run(unitOf(rule, init), rule, blobs, validating ? 'validate' : 'cook', init.signal);
  if (run.failure) throw new ActionFailedError(run.failure);
  if (init.onStableRead) for (const read of run.stableReads) init.onStableRead(read.absPath, read, read.digest as Digest);
  return {
    outputs: run.outputs,
    outputBytes: new Map(run.outputs.map((output, i) => [digestKey(output.digest), run.outputBytes[i]!])),
    discovered: run.discovered,
    diagnostics: run.diagnostics,
    stats: run.stats,
    durationMs: run.durationMs,
    ranIn: run.where,
  };
}

/**
 * `--check-determinism`: cook into an overlay and compare with `expected` (a cached result) or
 * with a second cook (on the pool too, when the rule runs there). Only when they agree do the
 * outputs reach the store below, so a rule that is not deterministic never gets anything cached
 * or uploaded.
 */
export async function cookChecked(blobs: BlobStore, rule: AnyRule, init: ActionContextInit, expected?: readonly OutputRecord[]): Promise<CookResult> {
  const overlay = new OverlayBlobStore(blobs);
  const first = await cookInto(overlay, rule, init, false);
  if (expected) {
    assertSameOutputs(rule.name, expected, first.outputs, 'the cached result');
    return first;
  }
  const again = await cookInto(new OverlayBlobStore(blobs), rule, init, false);
  assertSameOutputs(rule.name, first.outputs, again.outputs, 'the first run');
  await overlay.commit();
  return first;
}
