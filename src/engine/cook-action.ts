import type { OutputRecord } from '../rule/output.js';
import type { AnyRule } from '../rule/rule.js';
import type { BlobStore } from '../store/blob-store.js';
import { OverlayBlobStore } from '../store/overlay-blob-store.js';
import { assertSameOutputs } from './assert-same-outputs.js';
import { ActionFailedError } from './runner/action-failure.js';
import type { ActionRunner, RunnerResult } from './runner/action-runner.js';
import type { ActionUnit } from './runner/action-unit.js';

/** What the builder hands over for one cook. */
export interface CookRequest {
  runner: ActionRunner;
  rule: AnyRule;
  unit: ActionUnit;
  signal?: AbortSignal;
}

/**
 * Run a rule's cook (or only its validators) on the runner with its outputs going to `blobs`.
 * A failed action throws an ActionFailedError carrying its diagnostics.
 */
export async function cookInto(blobs: BlobStore, request: CookRequest, validating: boolean): Promise<RunnerResult> {
  const run = await request.runner.run(request.unit, request.rule, blobs, validating ? 'validate' : 'cook', request.signal);
  if (run.failure) throw new ActionFailedError(run.failure);
  return run;
}

/**
 * `--check-determinism`: cook into an overlay and compare with `expected` (a cached result) or
 * with a second cook (on the pool too, when the rule runs there). Only when they agree do the
 * outputs reach the store below, so a rule that is not deterministic never gets anything cached
 * or uploaded.
 */
export async function cookChecked(blobs: BlobStore, request: CookRequest, expected?: readonly OutputRecord[]): Promise<RunnerResult> {
  const overlay = new OverlayBlobStore(blobs);
  const run = await cookInto(overlay, request, false);
  if (expected) {
    assertSameOutputs(request.rule.name, expected, run.outputs, 'the cached result');
    return run;
  }
  const again = await cookInto(new OverlayBlobStore(blobs), request, false);
  assertSameOutputs(request.rule.name, run.outputs, again.outputs, 'the first run');
  await overlay.commit();
  return run;
}
