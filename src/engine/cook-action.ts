import type { OutputRecord } from '../rule/output.js';
import type { AnyRule } from '../rule/rule.js';
import type { BlobStore } from '../store/blob-store.js';
import { OverlayBlobStore } from '../store/overlay-blob-store.js';
import { ActionContext, type ActionContextInit } from './action-context.js';
import { assertSameOutputs } from './assert-same-outputs.js';

/** Run a rule's cook (or only its validators) with its outputs going to `blobs`. */
export async function cookInto(blobs: BlobStore, rule: AnyRule, init: ActionContextInit, validating: boolean): Promise<ActionContext> {
  const ctx = new ActionContext({ ...init, blobs });
  try {
    if (validating) await (rule.validate ?? rule.cook).call(rule, ctx);
    else await rule.cook(ctx);
  } finally {
    await ctx.dispose();
  }
  return ctx;
}

/**
 * `--check-determinism`: cook into an overlay and compare with `expected` (a cached result) or
 * with a second cook. Only when they agree do the outputs reach the store below, so a rule that
 * is not deterministic never gets anything cached or uploaded.
 */
export async function cookChecked(blobs: BlobStore, rule: AnyRule, init: ActionContextInit, expected?: readonly OutputRecord[]): Promise<ActionContext> {
  const overlay = new OverlayBlobStore(blobs);
  const ctx = await cookInto(overlay, rule, init, false);
  if (expected) {
    assertSameOutputs(rule.name, expected, ctx.outputs, 'the cached result');
    return ctx;
  }
  const again = await cookInto(new OverlayBlobStore(blobs), rule, init, false);
  assertSameOutputs(rule.name, ctx.outputs, again.outputs, 'the first run');
  await overlay.commit();
  return ctx;
}
