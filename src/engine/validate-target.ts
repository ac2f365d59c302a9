import type { CacheStack } from '../store/cache-stack.js';
import type { TargetReport } from './build-result.js';
import { cookInto } from './cook-action.js';
import { explainChange } from './explain.js';
import { outputSummary } from './action-report.js';
import { sizeReport } from './size-report.js';
import { actionKey, findCached, prepareAction, type ActionEnv, type ActionInput, type ActionValue } from './requests/action.js';
import type { FileDigestKind } from './requests/file-digest.js';
import type { RequestKind } from './tracker/request-kind.js';
import type { RequestTracker } from './tracker/request-tracker.js';

/** A requested target under `kiln validate`: its rule's validator runs; nothing is stored. */
export async function validateTarget(tracker: RequestTracker, file: FileDigestKind, cache: CacheStack, env: ActionEnv, input: ActionInput, base: TargetReport): Promise<TargetReport> {
  const read = <I>(kind: RequestKind<I, unknown>, i: I) => tracker.get(kind, i);
  const depValue = (dep: string) => tracker.peek<{ label: string }, ActionValue>(actionKey(env.platform), { label: dep })!;
  const prepared = await prepareAction(env, input, read, depValue);
  const began = performance.now();
  const ctx = await cookInto(cache.blobs, prepared.rule, prepared.init, true);
  const durationMs = performance.now() - began;
  const previous = tracker.peek<{ label: string }, ActionValue>(actionKey(env.platform), input);
  const discoveredNow = (paths: Iterable<string>) => Object.fromEntries([...paths].sort().map((path) => [path, tracker.get(file, path).digest]));
  // Validators write no outputs: report the sizes of the cooked result when the cache has it.
  const sized = (await findCached(cache, prepared.primary, previous, discoveredNow))?.outputs ?? [];
  const reasons = explainChange(previous && { inputs: previous.inputs, discovered: previous.discovered }, prepared.inputs, previous && discoveredNow(Object.keys(previous.discovered)));
  return { ...base, status: 'executed', durationMs, ranIn: ctx.ranIn, reasons, outputs: outputSummary(ctx.outputs), diagnostics: ctx.diagnostics, stats: ctx.stats, size: sizeReport(prepared.srcs, sized, ctx.stats) };
}
