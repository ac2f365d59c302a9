import type { CookMode, Diagnostic as RuleDiagnostic } from '../../rule/context.js';
import type { OutputRecord } from '../../rule/output.js';
import type { AnyRule } from '../../rule/rule.js';
import { ActionContext } from '../action-context.js';
import type { DiscoveredDigests } from '../key-inputs.js';
import { type ActionFailure, actionFailure } from './action-failure.js';
import type { ActionIO, StableRead } from './action-io.js';
import type { ActionUnit } from './action-unit.js';

/** `validate` runs the same cook with `ctx.mode === 'validate'` (`kiln validate`). */
export type RunMode = CookMode;

/** What running a unit produced. Plain data: it is posted back from workers as it is. */
export interface ActionRun {
  outputs: OutputRecord[];
  /** Bytes of each output, in the order of `outputs`. */
  outputBytes: Uint8Array[];
  /** Files the rule read through `readFile`, sorted by path: digest key or `absent`. */
  discovered: DiscoveredDigests;
  stableReads: StableRead[];
  /** Warnings the rule reported. */
  diagnostics: RuleDiagnostic[];
  stats: Record<string, number | string | boolean>;
  durationMs: number;
  /** Set when the cook failed; then nothing of the run may be cached. */
  failure?: ActionFailure;
}

/**
 * Run one unit with a rule already loaded, everything outside going through `io`. The one place
 * a rule's cook is called: in-process, in a pool worker and in a remote executor alike. Never
 * throws for a failing rule; the failure comes back as diagnostics.
 */
export async function runAction(unit: ActionUnit, rule: AnyRule, io: ActionIO, mode: RunMode, signal: AbortSignal): Promise<ActionRun> {
  const started = performance.now();
  const ctx = new ActionContext(unit, io, signal, mode);
  let failure: ActionFailure | undefined;
  try {
    if (rule.name !== unit.rule.name || rule.version !== unit.rule.version) {
      throw new Error(`the loaded rule is ${rule.name}@${rule.version}, the action needs ${unit.rule.name}@${unit.rule.version}`);
    }
    await rule.cook(ctx);
  } catch (error) {
    failure = actionFailure(error, unit);
  } finally {
    await io.dispose();
  }
  const discovered = Object.fromEntries(Object.entries(ctx.discovered).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const run: ActionRun = {
    outputs: ctx.outputs,
    outputBytes: ctx.outputBytes,
    discovered,
    stableReads: ctx.stableReads,
    diagnostics: ctx.diagnostics,
    stats: ctx.stats,
    durationMs: performance.now() - started,
  };
  if (failure) run.failure = failure;
  return run;
}
