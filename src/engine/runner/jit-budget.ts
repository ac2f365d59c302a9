import { setFlagsFromString } from 'node:v8';

/**
 * How much a function must run before V8 optimises it with TurboFan, raised for the process when
 * a pool starts with a thread for every core. Cooks are short batch jobs through large libraries (the glTF validator,
 * glTF-Transform, the audio codecs): with V8's default budget the background compiler threads
 * spent ~1.0 s of CPU optimising code that then ran for a second at most. Measured on the
 * sample's audio and model cooks (issue 10, per-thread CPU from /proc): a budget of 400,000
 * cuts that to ~0.6 s (build CPU at `--jobs 2` ~2.95 → ~2.55 s), so the second core is left to
 * the second cook. The price is a little more time in unoptimised code: +30–50 ms per thread at
 * `--jobs 2`, +~75 ms on the one thread at `--jobs 1` — where the background compiler had the
 * idle second core to itself, so there the budget stays V8's (worker-pool.ts). Code computes the
 * same either way; only when it gets optimised changes.
 *
 * The flag is V8's own (not a Node option), so it is set only on the V8 line it was measured
 * on (Node 20's V8 11); other versions keep their defaults rather than get an unknown flag.
 */
export const JIT_INTERRUPT_BUDGET = 400_000;

let applied = false;

export function raiseJitBudget(): void {
  if (applied) return;
  applied = true;
  if (!process.versions.v8.startsWith('11.')) return;
  setFlagsFromString(`--interrupt-budget=${JIT_INTERRUPT_BUDGET}`);
}
